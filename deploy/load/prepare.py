#!/usr/bin/env python3
"""Prepares deploy/load/mixed.lua's run against a Lantern made by `lantern demo`: signs SESSIONS
synthetic learners in (each enrolled in COURSE), finds the course's lessons and quiz, the
answers' field names, certificate ids to verify (from learners who completed a course) and
writes them as a Lua table to OUT.

    prepare.py BASE_URL OUT [--seed 1] [--sessions 32] [--course hand-hygiene]

Standard library only."""
import argparse
import html
import re
import sys
import urllib.parse

from phone import Phone

PASSWORD = "demo learner passphrase"


def signed_in(base, email):
    """A phone signed in as `email` (plain-text answers: the pages are read)."""
    phone = Phone(base, compressed=False, agent="prepare.py")
    phone.request("GET", "/sign-in")
    if phone.request("POST", "/sign-in", [("email", email), ("password", PASSWORD)]).status != 303:
        sys.exit(f"{email} could not sign in: is this a `lantern demo --seed` population?")
    return phone


def lua(value):
    if isinstance(value, str):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    if isinstance(value, (list, tuple)):
        return "{" + ", ".join(lua(v) for v in value) + "}"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k} = {lua(v)}" for k, v in value.items()) + "}"
    return str(value)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("base")
    parser.add_argument("out")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--sessions", type=int, default=32)
    parser.add_argument("--course", default="hand-hygiene")
    args = parser.parse_args()
    course = args.course

    sessions, phones = [], []
    for i in range(1, args.sessions + 1):
        # Learners 4, 9, 14 … completed a course; these did not.
        phone = signed_in(args.base, f"learner-{args.seed}-{i * 5 + 1}@demo.example.org")
        phone.request("POST", f"/courses/{course}/enrol", [])
        sessions.append({"cookie": phone.cookie_header(), "csrf": phone.cookies["lantern-csrf"]})
        phones.append(phone)

    first = phones[0]
    page = first.request("GET", f"/courses/{course}").text
    lessons = sorted(set(re.findall(rf'href="(/courses/{course}/lessons/[a-z0-9-]+)"', page)))
    quizzes = sorted(set(re.findall(rf'"(/courses/{course}/quizzes/\d+)"', page)))
    quizzes = [f"{quiz}/attempts" for quiz in quizzes]
    if not lessons or not quizzes:
        sys.exit(f"{course}: found {len(lessons)} lessons and {len(quizzes)} quizzes on its page")
    # The answers' field names: q<question>=<option>, the first option of each question.
    location = first.request("POST", quizzes[0], []).location
    attempt = first.request("GET", location).text
    answers = {}
    for name, value in re.findall(r'name="(q\d+)"[^>]*value="(\d+)"', attempt):
        answers.setdefault(name, value)
    first.request("POST", location, list(answers.items()))

    certificates = []
    for i in range(1, 200):
        if len(certificates) >= 20:
            break
        phone = signed_in(args.base, f"learner-{args.seed}-{i * 5 - 1}@demo.example.org")
        page = phone.request("GET", "/me/certificates").text
        certificates += sorted(set(re.findall(r'href="/me/certificates/([A-Za-z0-9_-]{8,})"', page)))
    if not certificates:
        sys.exit("no certificate found: did `lantern demo` make completions?")

    catalogue = first.request("GET", "/courses").text
    titles = re.findall(r'<a href="/courses/[a-z0-9-]+"[^>]*>([^<]+)</a>', catalogue)
    queries = ["hand hygiene", "bleeding after birth", "medication safety", "newborn breathing", "burnout"]
    queries += [" ".join(html.unescape(t).split()[:2]) for t in titles[:10]]

    data = {
        "sessions": sessions,
        "lessons": lessons,
        "quiz": quizzes[0],
        "answers": "&".join(f"{k}={v}" for k, v in answers.items()),
        "certificates": certificates[:20],
        "queries": [urllib.parse.quote_plus(q) for q in queries],
        "email": f"learner-{args.seed}-2@demo.example.org",
        "password": urllib.parse.quote_plus(PASSWORD),
    }
    with open(args.out, "w") as f:
        f.write("return " + lua(data) + "\n")
    print(
        f"{len(sessions)} sessions, {len(lessons)} lessons, quiz {quizzes[0]} ({len(answers)} questions), "
        f"{len(certificates[:20])} certificates, {len(queries)} queries"
    )


if __name__ == "__main__":
    main()
