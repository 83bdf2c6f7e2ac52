"""The sockets ``kg serve`` listens on, bound before anything is loaded.

A port already taken, a host that is no address of this machine, a port below 1024
without the right to it: each is known the moment the address is bound. So ``kg serve``
binds first (:func:`bound_sockets`) and hands the sockets to waitress (its ``sockets``
setting: it then listens on them as they are), rather than letting waitress bind them
after the graph is loaded and the query workers are started, where the same mistake
ended in a traceback seconds later.

The sockets listen at once, too. A port is taken only by a socket that listens (address
reuse lets a second socket bind beside one that does not yet), so two ``kg serve`` started
together on one port could both bind, and the second failed only after its load. A
client that connects meanwhile waits in the queue until the graph is loaded, rather than
being refused.
"""

from __future__ import annotations

import errno
import socket

from .errors import InputError

__all__ = ["AddressError", "bound_sockets", "BACKLOG"]

#: connections the kernel queues until they are accepted (waitress's default)
BACKLOG = 1024


class AddressError(InputError):
    """The address cannot be listened on; :attr:`option` is the option to change."""

    def __init__(self, message: str, *, option: str) -> None:
        super().__init__(message)
        self.option = option


def bound_sockets(host: str, port: int) -> list[socket.socket]:
    """One TCP socket bound to each address ``host`` resolves to (as waitress would bind
    them: address reuse on, IPv6 sockets IPv6 only), listening (waitress accepts once
    it runs). Raises
    :class:`AddressError` naming the option to change (``--host`` or ``--port``) when an
    address cannot be bound; nothing stays bound then.

    >>> sockets = bound_sockets("127.0.0.1", 0)
    >>> [s.getsockname()[0] for s in sockets]
    ['127.0.0.1']
    >>> for s in sockets: s.close()
    """
    try:
        found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM,
                                   flags=socket.AI_PASSIVE)
    except (socket.gaierror, UnicodeError) as error:
        reason = getattr(error, "strerror", None) or error
        raise AddressError(f"{host!r} is not a host name or address kg can listen on "
                           f"({reason})", option="--host") from None
    bound: list[socket.socket] = []
    seen = set()
    try:
        for family, kind, proto, _, address in found:
            if (family, address) in seen:
                continue
            seen.add((family, address))
            sock = socket.socket(family, kind, proto)
            bound.append(sock)
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            if family == socket.AF_INET6:
                sock.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
            try:
                sock.bind(address)
                sock.listen(BACKLOG)
            except OSError as error:
                raise _refusal(host, port, error) from None
    except BaseException:
        for sock in bound:
            sock.close()
        raise
    return bound


def _refusal(host: str, port: int, error: OSError) -> AddressError:
    """What a failed bind means for the user, and which option to change."""
    where = f"{host}:{port}"
    if error.errno == errno.EADDRINUSE:
        return AddressError(f"cannot listen on {where}: the port is in use (another kg "
                            f"serve, or another server?); choose another --port",
                            option="--port")
    if error.errno in (errno.EACCES, errno.EPERM):
        return AddressError(f"cannot listen on {where}: ports below 1024 need the right "
                            f"to them; choose a port of 1024 or more", option="--port")
    if error.errno == errno.EADDRNOTAVAIL:
        return AddressError(f"cannot listen on {where}: {host} is not an address of this "
                            f"machine (127.0.0.1 serves this machine only, 0.0.0.0 every "
                            f"network it is on)", option="--host")
    return AddressError(f"cannot listen on {where}: {error.strerror or error}",
                        option="--host")
