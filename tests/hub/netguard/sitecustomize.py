"""Imported by every Python subprocess a test starts with this folder on PYTHONPATH: any host but
loopback is refused before a packet leaves, and written to $MEDQA_NET_REFUSED for the test to see."""

import ipaddress
import os
import socket

_getaddrinfo = socket.getaddrinfo
_connect = socket.socket.connect


def _loopback(name: str) -> bool:
    try:
        return name == "localhost" or ipaddress.ip_address(name.split("%")[0]).is_loopback
    except ValueError:
        return False


def _refuse(name: str) -> None:
    log = os.environ.get("MEDQA_NET_REFUSED")
    if log:
        with open(log, "a", encoding="utf-8") as f:
            f.write(name + "\n")
    raise socket.gaierror(f"refused by the test network guard: {name}")


def getaddrinfo(host, *args, **kwargs):  # type: ignore[no-untyped-def]
    name = host.decode() if isinstance(host, bytes) else str(host)
    if not _loopback(name):
        _refuse(name)
    return _getaddrinfo(host, *args, **kwargs)


def connect(self, address):  # type: ignore[no-untyped-def]
    if self.family in (socket.AF_INET, socket.AF_INET6) and not _loopback(str(address[0])):
        _refuse(str(address[0]))
    return _connect(self, address)


socket.getaddrinfo = getaddrinfo
socket.socket.connect = connect
