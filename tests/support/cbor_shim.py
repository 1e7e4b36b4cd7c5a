#!/usr/bin/env python3
"""A translator between the current AWS SDK's CloudWatch protocol and moto's.

The Rust SDK (aws-sdk-cloudwatch >= 1.100) speaks Smithy RPC v2 CBOR:
    POST /service/GraniteServiceVersion20100801/operation/<Operation>
    content-type: application/cbor, smithy-protocol: rpc-v2-cbor (body maybe gzip-encoded)
moto speaks CloudWatch's awsJson1_0 protocol:
    POST /  x-amz-target: GraniteServiceVersion20100801.<Operation>
    content-type: application/x-amz-json-1.0

This server sits between them on 127.0.0.1 for the test suite: it decodes the CBOR request,
converts values to JSON by the operation's input shape (timestamps, doubles, blobs) from
botocore's CloudWatch model, forwards it to moto, and converts moto's JSON answer back to CBOR
by the output shape (timestamps as CBOR tag 1, doubles as floats). Errors keep their code.

Usage: cbor_shim.py PORT MOTO_URL
"""

import base64
import datetime
import gzip
import json
import sys
import urllib.error
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import botocore.session
import cbor2

MODEL = botocore.session.get_session().get_service_model("cloudwatch")
PREFIX = "/service/GraniteServiceVersion20100801/operation/"
UTC = datetime.timezone.utc


def to_json(value, shape):
    """CBOR-decoded request values to what the JSON protocol expects."""
    if shape is None or value is None:
        return value
    t = shape.type_name
    if t == "structure":
        return {k: to_json(v, shape.members.get(k)) for k, v in value.items()}
    if t == "list":
        return [to_json(v, shape.member) for v in value]
    if t == "map":
        return {k: to_json(v, shape.value) for k, v in value.items()}
    if t == "timestamp":
        if isinstance(value, datetime.datetime):
            if value.tzinfo is None:
                value = value.replace(tzinfo=UTC)
            return value.timestamp()
        return float(value)
    if t == "blob":
        return base64.b64encode(value).decode()
    if t in ("double", "float"):
        return float(value)
    return value


def parse_time(value):
    if isinstance(value, (int, float)):
        return datetime.datetime.fromtimestamp(value, UTC)
    text = str(value).replace("Z", "+00:00")
    parsed = datetime.datetime.fromisoformat(text)
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def to_cbor(value, shape):
    """moto's JSON answer to the values the CBOR protocol carries."""
    if shape is None or value is None:
        return value
    t = shape.type_name
    if t == "structure":
        return {k: to_cbor(v, shape.members.get(k)) for k, v in value.items() if k in shape.members}
    if t == "list":
        return [to_cbor(v, shape.member) for v in value]
    if t == "map":
        return {k: to_cbor(v, shape.value) for k, v in value.items()}
    if t == "timestamp":
        return parse_time(value)
    if t == "blob":
        return base64.b64decode(value)
    if t in ("double", "float"):
        return float(value)
    if t in ("integer", "long"):
        return int(value)
    return value


class Shim(BaseHTTPRequestHandler):
    moto = ""

    def log_message(self, *args):  # quiet: the test output is the place for failures
        pass

    def reply(self, status, body, extra=None):
        data = cbor2.dumps(body, timezone=UTC, datetime_as_timestamp=True)
        self.send_response(status)
        self.send_header("content-type", "application/cbor")
        self.send_header("smithy-protocol", "rpc-v2-cbor")
        self.send_header("content-length", str(len(data)))
        for k, v in (extra or {}).items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(data)

    def do_POST(self):
        if not self.path.startswith(PREFIX):
            self.reply(404, {"__type": "UnknownOperationException", "message": self.path})
            return
        op_name = self.path[len(PREFIX):]
        body = self.rfile.read(int(self.headers.get("content-length", "0")))
        if self.headers.get("content-encoding", "") == "gzip":
            body = gzip.decompress(body)
        try:
            op = MODEL.operation_model(op_name)
        except Exception:
            self.reply(400, {"__type": "UnknownOperationException", "message": op_name})
            return
        request = cbor2.loads(body) if body else {}
        payload = json.dumps(to_json(request, op.input_shape) or {}).encode()
        forward = urllib.request.Request(
            self.moto + "/",
            data=payload,
            method="POST",
            headers={
                "x-amz-target": "GraniteServiceVersion20100801." + op_name,
                "content-type": "application/x-amz-json-1.0",
                "authorization": self.headers.get("authorization", ""),
                "x-amz-date": self.headers.get("x-amz-date", ""),
            },
        )
        try:
            with urllib.request.urlopen(forward, timeout=30) as answer:
                status, text, headers = answer.status, answer.read(), answer.headers
        except urllib.error.HTTPError as e:
            status, text, headers = e.code, e.read(), e.headers
        try:
            decoded = json.loads(text) if text else {}
        except ValueError:
            decoded = {"__type": "InternalFailure", "message": text.decode(errors="replace")[:200]}
        if status >= 300:
            code = str(decoded.get("__type", "InternalFailure")).split("#")[-1]
            extra = {}
            if headers.get("x-amzn-query-error"):
                extra["x-amzn-query-error"] = headers["x-amzn-query-error"]
            self.reply(status, {"__type": code, "message": decoded.get("message", decoded.get("Message", ""))}, extra)
            return
        self.reply(200, to_cbor(decoded, op.output_shape) if op.output_shape else {})


def main():
    port, moto = int(sys.argv[1]), sys.argv[2].rstrip("/")
    Shim.moto = moto
    ThreadingHTTPServer(("127.0.0.1", port), Shim).serve_forever()


if __name__ == "__main__":
    main()
