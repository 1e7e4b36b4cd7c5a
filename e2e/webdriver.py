"""A small W3C WebDriver client on one kept-alive HTTP connection (Python's standard library
only). tauri-driver proxies each request to WebKitWebDriver; a client that closes the
connection after every request makes that proxy drop some of them, so this one never does."""

import base64
import http.client
import json
import time

ELEMENT = "element-6066-11e4-a52e-4f735466cecf"


class WebDriverError(Exception):
    pass


class Session:
    # The sessions not yet closed: the driver allows one at a time, so one a failed test left
    # open would refuse every later test's (see `close_all`).
    live = []

    def __init__(self, application, host="127.0.0.1", port=4444, timeout=60):
        self.conn = http.client.HTTPConnection(host, port, timeout=timeout)
        caps = {"capabilities": {"alwaysMatch": {"browserName": "wry", "tauri:options": {"application": application}}}}
        value = self._request("POST", "/session", caps)
        self.id = value["sessionId"]
        Session.live.append(self)

    @classmethod
    def close_all(cls):
        """Closes every session still open, as far as the driver still answers."""
        for session in list(cls.live):
            try:
                session.close()
            except Exception:
                pass

    def _request(self, method, path, body=None):
        data = None if body is None else json.dumps(body).encode()
        headers = {"Content-Type": "application/json; charset=utf-8"} if data is not None else {}
        self.conn.request(method, path, body=data, headers=headers)
        response = self.conn.getresponse()
        payload = json.loads(response.read() or b"{}")
        value = payload.get("value")
        if response.status >= 400:
            if isinstance(value, dict):
                message = f"{value.get('error', '')}: {value.get('message', '')}".strip(": ")
            else:
                message = value
            raise WebDriverError(f"{method} {path}: {response.status} {message}")
        return value

    def cmd(self, method, suffix, body=None):
        return self._request(method, f"/session/{self.id}{suffix}", body)

    def close(self):
        if self in Session.live:
            Session.live.remove(self)
        try:
            self._request("DELETE", f"/session/{self.id}")
        finally:
            self.conn.close()

    # ----- scripts and elements -----

    def js(self, script, *args):
        return self.cmd("POST", "/execute/sync", {"script": script, "args": list(args)})

    def js_async(self, script, *args):
        """Runs `script` with a `done` callback as its last argument."""
        return self.cmd("POST", "/execute/async", {"script": script, "args": list(args)})

    def find(self, css):
        found = self.cmd("POST", "/element", {"using": "css selector", "value": css})
        if not isinstance(found, dict) or ELEMENT not in found:
            raise WebDriverError(f"no element {css}: {found!r}")
        return found[ELEMENT]

    def count(self, css):
        return self.js("return document.querySelectorAll(arguments[0]).length", css)

    def reveal(self, css):
        """Scrolls the element to the middle of its scrolling pane. WebKitWebDriver scrolls it
        only to the pane's bottom edge, where its hit test can miss it ("not interactable")."""
        self.js("document.querySelector(arguments[0])?.scrollIntoView({block: 'center', inline: 'nearest'})", css)

    def click(self, css):
        self.reveal(css)
        self.cmd("POST", f"/element/{self.find(css)}/click", {})

    def click_that_closes(self, css):
        """Clicks an element whose action closes the window, and with it the app. The driver
        can lose the window before it answers the click (500 "unknown error"): that answer
        is no failure, so the caller checks what the click did (the app ended) instead."""
        self.reveal(css)
        element = self.find(css)
        try:
            self.cmd("POST", f"/element/{element}/click", {})
        except WebDriverError as e:
            if ": 500 " not in str(e):
                raise

    def type_into(self, css, text):
        """Replaces the field's text as a user would: select everything, then type."""
        self.reveal(css)
        element = self.find(css)
        self.cmd("POST", f"/element/{element}/click", {})
        self.js("document.activeElement.select()")
        self.cmd("POST", f"/element/{element}/value", {"text": text})
        # WebDriver can answer before the page has had the last keystrokes: wait until the
        # field holds what was typed, so that whatever the page starts on it has started.
        self.wait_for(f"{css} to hold {text!r}", lambda: self.js(
            "const e = document.querySelector(arguments[0]);"
            "return !!e && (!('value' in e) || e.value === arguments[1])", css, text))

    def text(self, css):
        # The page redraws parts of itself as answers arrive: an element found may be replaced
        # before its text is read. Find it again then.
        for attempt in range(5):
            try:
                return self.cmd("GET", f"/element/{self.find(css)}/text")
            except WebDriverError as e:
                if "stale element" not in str(e) or attempt == 4:
                    raise
                time.sleep(0.05)

    def value(self, css):
        return self.js("return document.querySelector(arguments[0]).value", css)

    def screenshot(self, path):
        with open(path, "wb") as f:
            f.write(base64.b64decode(self.cmd("GET", "/screenshot")))

    def wait_for(self, what, check, timeout=20.0):
        deadline = time.monotonic() + timeout
        last = None
        while time.monotonic() < deadline:
            last = check()
            if last:
                return last
            time.sleep(0.05)
        raise AssertionError(f"timed out waiting for {what} (last: {last!r})")
