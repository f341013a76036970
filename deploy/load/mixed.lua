-- wrk script: what a district's clinicians do at once, mixed by weight. Reads the table
-- deploy/load/prepare.py wrote (path in $MIXED_DATA): signed-in sessions, lessons, a quiz and its
-- answers, certificate ids, search queries.
--
--   lesson page (signed in)        40      catalogue                 15
--   search                         15      certificate verification  15
--   quiz: start, then submit        7+7    sign-in (Argon2id)          1
--
-- $MIXED_RATE (requests/s over all connections; 0 = as fast as possible) paces each connection
-- with wrk's delay(). Non-2xx/3xx answers are counted by wrk ("Non-2xx or 3xx responses").

local data = dofile(os.getenv("MIXED_DATA"))
local rate = tonumber(os.getenv("MIXED_RATE") or "0")
local connections = tonumber(os.getenv("MIXED_CONNECTIONS") or "64")

local mix = {
  {"lesson", 40}, {"catalogue", 15}, {"search", 15}, {"verify", 15}, {"quiz", 14}, {"sign_in", 1},
}
local total = 0
for _, entry in ipairs(mix) do total = total + entry[2] end

local threads = {}
local session, attempt, submitted

function setup(thread)
  thread:set("id", #threads + 1)
  table.insert(threads, thread)
end

function init(args)
  math.randomseed(id * 7919)
  session = data.sessions[(id - 1) % #data.sessions + 1]
  attempt = nil
  submitted = nil
end

local function pick(list) return list[math.random(#list)] end

local function get(path, signed_in)
  local headers = {["Accept-Encoding"] = "br, gzip"}
  if signed_in then headers["Cookie"] = session.cookie end
  return wrk.format("GET", path, headers)
end

-- A sign-in comes from a phone with no session: signing in ends the session a request carries
-- (no fixation), which would sign the thread's learner out.
local function post(path, body, signing_in)
  return wrk.format("POST", path, {
    ["Cookie"] = signing_in and ("lantern-csrf=" .. session.csrf) or session.cookie,
    ["Origin"] = "http://" .. wrk.host .. ":" .. wrk.port,
    ["Content-Type"] = "application/x-www-form-urlencoded",
    ["Accept-Encoding"] = "br, gzip",
  }, body .. "&csrf_token=" .. session.csrf)
end

function request()
  local roll = math.random(total)
  local kind
  for _, entry in ipairs(mix) do
    roll = roll - entry[2]
    if roll <= 0 then kind = entry[1] break end
  end
  if kind == "lesson" then
    return get(pick(data.lessons), true)
  elseif kind == "catalogue" then
    return get("/courses", false)
  elseif kind == "search" then
    return get("/search?q=" .. pick(data.queries), false)
  elseif kind == "verify" then
    return get("/verify/" .. pick(data.certificates), false)
  elseif kind == "quiz" then
    if attempt then
      local path = attempt
      attempt = nil
      submitted = path
      return post(path, data.answers)
    end
    return post(data.quiz, "")
  else
    return post("/sign-in", "email=" .. data.email .. "&password=" .. data.password, true)
  end
end

-- A started attempt answers 303 to its page: the thread submits it next. (Connections of one
-- thread share its session, so two may submit the same attempt: the second is answered from the
-- recorded result, as a phone retrying would be.)
function response(status, headers, body)
  local location = headers["Location"] or headers["location"]
  if status == 303 and location and location:find("/attempts/") and location ~= submitted then
    attempt = location
  end
end

function delay()
  if rate <= 0 then return 0 end
  return 1000 * connections / rate
end
