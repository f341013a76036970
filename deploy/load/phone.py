"""One learner's browser for the load scripts (storm.py, prepare.py): a keep-alive connection, a
cookie jar, and forms sent with the CSRF token from its cookie. Standard library only."""
import http.client
import urllib.parse
from typing import NamedTuple


class Answer(NamedTuple):
    status: int
    location: str | None
    body: bytes

    @property
    def text(self):
        return self.body.decode("utf-8", "replace")


class Phone:
    def __init__(self, base, compressed=True, agent="lantern-load"):
        url = urllib.parse.urlsplit(base)
        self.conn = http.client.HTTPConnection(url.hostname, url.port, timeout=60)
        self.origin = f"{url.scheme}://{url.netloc}"
        self.cookies = {}
        # A phone asks for compressed pages; a script that reads them asks for plain text.
        self.headers = {"User-Agent": agent}
        if compressed:
            self.headers["Accept-Encoding"] = "br, gzip"

    def request(self, method, path, form=None):
        """Sends the request (form: a dict or (name, value) pairs) and reads the whole answer."""
        headers = dict(self.headers)
        if self.cookies:
            headers["Cookie"] = self.cookie_header()
        body = None
        if form is not None:
            fields = list(form.items() if isinstance(form, dict) else form)
            fields.append(("csrf_token", self.cookies.get("lantern-csrf", "")))
            body = urllib.parse.urlencode(fields)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Origin"] = self.origin
        self.conn.request(method, path, body=body, headers=headers)
        response = self.conn.getresponse()
        content = response.read()
        for header in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = header.partition("=")
            self.cookies[name.strip()] = rest.split(";", 1)[0]
        return Answer(response.status, response.getheader("Location"), content)

    def cookie_header(self):
        return "; ".join(f"{k}={v}" for k, v in self.cookies.items())
