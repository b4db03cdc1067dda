"""Three independent SOAP clients built from the served WSDL — zeep, suds (suds-community) and
PHP's SoapClient — behind one small interface, so a test can make the same call with each and
compare what each understood.

`call(operation, args)` returns the answer as plain JSON-like data, or raises CallFault with
the fault's code, message and typed detail (the WSDL's LkkFault) as the client read them.
"""
from __future__ import annotations

import datetime as dt
import decimal
import gc
import json
import shutil
import subprocess
import warnings
from pathlib import Path

from lkk_integration.soap.types import NS

PHP_SCRIPT = Path(__file__).with_name("soap_call.php")
# Fields holding xs:decimal: compared as numbers. Everything else keeps its text (meter
# numbers keep their leading zeros).
DECIMAL_FIELDS = {"T1", "T2", "T3", "TransformationRatio"}


class CallFault(Exception):
    def __init__(self, code: str, message: str, detail):
        super().__init__(f"{code}: {message}")
        self.code = code.split(":")[-1]
        self.message = message
        # The LkkFault's members: {"Code": …, "Field": …, "Item": …, "CorrelationId": …}.
        self.detail = normalize(detail) or {}


def normalize(value, key: str | None = None):
    """Plain data every client agrees on: dicts without empty members, lists, and text."""
    if isinstance(value, dict):
        out = {k: normalize(v, k) for k, v in value.items()}
        return {k: v for k, v in out.items() if v not in (None, [], {})}
    if isinstance(value, (list, tuple)):
        return [normalize(v, key) for v in value]
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if key in DECIMAL_FIELDS:
        number = decimal.Decimal(str(value)).normalize()
        return format(number, "f")
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S")
    if isinstance(value, dt.date):
        return value.isoformat()
    if key == "SubmittedAt" and isinstance(value, str):
        return dt.datetime.fromisoformat(value.replace("Z", "+00:00")) \
            .astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S")
    return str(value)


class ZeepCaller:
    name = "zeep"

    def __init__(self, base_url: str, credentials: tuple[str, str]):
        import requests
        import zeep

        self.session = requests.Session()
        self.session.auth = credentials
        self.client = zeep.Client(f"{base_url}/soap?wsdl",
                                  transport=zeep.transports.Transport(session=self.session))

    def close(self) -> None:
        self.session.close()

    def call(self, operation: str, args: dict):
        import zeep

        try:
            answer = getattr(self.client.service, operation)(**args)
        except zeep.exceptions.Fault as fault:
            # zeep hands over the <detail> element; the WSDL's type reads it.
            lkk_fault = self.client.get_element(f"{{{NS}}}LkkFault").parse(
                fault.detail[0], self.client.wsdl.types)
            raise CallFault(fault.code, fault.message,
                            zeep.helpers.serialize_object(lkk_fault, dict)) from None
        return normalize(zeep.helpers.serialize_object(answer, dict))


class SudsCaller:
    name = "suds"

    def __init__(self, base_url: str, credentials: tuple[str, str]):
        from suds.client import Client

        # HttpAuthenticated sends the credentials after the server's 401 challenge, as .NET
        # and 1C do.
        self.client = Client(f"{base_url}/soap?wsdl", username=credentials[0],
                             password=credentials[1], cache=None)

    def close(self) -> None:
        # suds never closes urllib's responses (the 401 challenge's among them); collect its
        # sockets here, where their ResourceWarning is known to be suds', not ours.
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ResourceWarning)
            gc.collect()

    def _plain(self, value):
        from suds.sudsobject import Object, asdict

        if isinstance(value, Object):
            return {k: self._plain(v) for k, v in asdict(value).items()}
        if isinstance(value, list):
            return [self._plain(v) for v in value]
        return value

    def call(self, operation: str, args: dict):
        from suds import WebFault

        try:
            answer = getattr(self.client.service, operation)(**args)
        except WebFault as fault:
            raise CallFault(fault.fault.faultcode, fault.fault.faultstring,
                            self._plain(fault.fault.detail.LkkFault)) from None
        return normalize(self._plain(answer))


class PhpCaller:
    name = "php"

    def __init__(self, base_url: str, credentials: tuple[str, str]):
        self.base = {"wsdl": f"{base_url}/soap?wsdl", "login": credentials[0],
                     "password": credentials[1]}

    def close(self) -> None:
        pass

    @staticmethod
    def available() -> bool:
        if not shutil.which("php"):
            return False
        modules = subprocess.run(["php", "-m"], capture_output=True, text=True).stdout
        return "soap" in modules.split()

    def call(self, operation: str, args: dict):
        request = dict(self.base, operation=operation, args=args)
        done = subprocess.run(["php", str(PHP_SCRIPT)], input=json.dumps(request, default=str),
                              capture_output=True, text=True, timeout=60)
        assert done.returncode == 0, done.stderr
        answer = json.loads(done.stdout)
        if "fault" in answer:
            raise CallFault(answer["fault"]["code"], answer["fault"]["message"],
                            answer["fault"]["detail"])
        result = answer["result"]
        # SoapClient keeps the response wrapper's one member: {"XResult": {...}}.
        if isinstance(result, dict) and len(result) == 1 and \
                next(iter(result)) == f"{operation}Result":
            result = result[f"{operation}Result"]
        return normalize(result)


CALLERS = {c.name: c for c in (ZeepCaller, SudsCaller, PhpCaller)}
