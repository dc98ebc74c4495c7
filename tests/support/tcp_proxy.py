"""A loopback TCP proxy with fault injection, to put between an HTTP client and a live server.

    with TcpProxy(("127.0.0.1", server.port)) as proxy:
        proxy.schedule(Fault.DROP_RESPONSE)          # the next connection loses its response
        http = httpx.Client(base_url=proxy.url, **ONE_REQUEST_PER_CONNECTION)

It forwards bytes and knows nothing of HTTP. Faults are decided per accepted CONNECTION,
numbered 1, 2, 3, ... in accept order (`proxy.connections`). A client that opens a new connection
for every request (`ONE_REQUEST_PER_CONNECTION`: no keep-alive, `Connection: close`) therefore
gets "the k-th request" = "the k-th connection"; with keep-alive a fault hits every request that
travels on that connection.

- `Fault.PASS`: forward both ways.
- `Fault.DROP_BEFORE`: close the client's connection at once; nothing reaches the server.
- `Fault.DROP_RESPONSE`: forward the request; when the server's first response byte arrives (so
  a non-streaming handler has finished and committed), close both sides without passing a byte
  of it on: the server did the work, the client never hears.

`proxy.outcomes` lists (connection number, fault) for every connection handled.
"""

from __future__ import annotations

import contextlib
import enum
import selectors
import socket
import threading
from collections.abc import Callable, Mapping
from types import TracebackType
from typing import Any

import httpx

CHUNK = 65536
POLL_S = 0.05

# httpx.Client(**ONE_REQUEST_PER_CONNECTION): every request on a connection of its own.
ONE_REQUEST_PER_CONNECTION: dict[str, Any] = {
    "headers": {"Connection": "close"},
    "limits": httpx.Limits(max_keepalive_connections=0),
}


class Fault(enum.Enum):
    PASS = "pass"
    DROP_BEFORE = "drop_before"
    DROP_RESPONSE = "drop_response"


Plan = Callable[[int], Fault] | Mapping[int, Fault]


class TcpProxy:
    def __init__(self, upstream: tuple[str, int], *, plan: Plan | None = None) -> None:
        self.upstream = upstream
        self._plan: dict[int, Fault] = {}
        self._decide: Callable[[int], Fault] | None = None
        self.set_plan(plan)
        self.connections = 0
        self.outcomes: list[tuple[int, Fault]] = []
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._sockets: set[socket.socket] = set()
        self._threads: list[threading.Thread] = []
        self._listener: socket.socket | None = None
        self.port = 0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    # -- the plan ------------------------------------------------------------------------------

    def set_plan(self, plan: Plan | None) -> None:
        """A function of the connection number, or {number: fault}; the rest pass."""
        if plan is None or isinstance(plan, Mapping):
            self._plan, self._decide = dict(plan or {}), None
        else:
            self._plan, self._decide = {}, plan

    def schedule(self, fault: Fault, nth: int = 1) -> int:
        """`fault` for the `nth` connection accepted from now on; returns its number."""
        with self._lock:
            number = self.connections + nth
            self._plan[number] = fault
        return number

    def fault_for(self, number: int) -> Fault:
        if self._decide is not None:
            return self._decide(number)
        return self._plan.get(number, Fault.PASS)

    # -- life cycle ----------------------------------------------------------------------------

    def start(self) -> TcpProxy:
        listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", 0))
        listener.listen(64)
        listener.settimeout(POLL_S)
        self._listener = listener
        self.port = int(listener.getsockname()[1])
        self._spawn(self._accept_loop, listener)
        return self

    def close(self) -> None:
        """Stop accepting, close every socket, and join every thread."""
        self._stop.set()
        for thread in list(self._threads):
            thread.join(timeout=10)
        with self._lock:
            sockets = list(self._sockets)
            self._sockets.clear()
        for s in sockets:
            s.close()
        if self._listener is not None:
            self._listener.close()

    def __enter__(self) -> TcpProxy:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    # -- internals -----------------------------------------------------------------------------

    def _spawn(self, target: Callable[..., None], *args: Any) -> None:
        thread = threading.Thread(target=target, args=args, daemon=True)
        with self._lock:
            self._threads = [t for t in self._threads if t.is_alive()]
            self._threads.append(thread)
        thread.start()

    def _track(self, s: socket.socket) -> socket.socket:
        with self._lock:
            self._sockets.add(s)
        return s

    def _forget(self, *sockets: socket.socket | None) -> None:
        for s in sockets:
            if s is None:
                continue
            with self._lock:
                self._sockets.discard(s)
            s.close()

    def _accept_loop(self, listener: socket.socket) -> None:
        while not self._stop.is_set():
            try:
                client, _ = listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            with self._lock:
                self.connections += 1
                number = self.connections
            fault = self.fault_for(number)
            with self._lock:
                self.outcomes.append((number, fault))
            self._spawn(self._serve, self._track(client), fault)

    def _serve(self, client: socket.socket, fault: Fault) -> None:
        upstream: socket.socket | None = None
        try:
            if fault is Fault.DROP_BEFORE:
                return
            try:
                upstream = self._track(socket.create_connection(self.upstream, timeout=10))
            except OSError:
                return  # the server is down: the client sees its connection closed
            self._pump(client, upstream, swallow_response=fault is Fault.DROP_RESPONSE)
        finally:
            self._forget(client, upstream)

    def _pump(self, client: socket.socket, upstream: socket.socket, swallow_response: bool) -> None:
        peer = {client: upstream, upstream: client}
        open_reads = {client, upstream}
        with selectors.DefaultSelector() as selector:
            for s in open_reads:
                s.setblocking(False)
                selector.register(s, selectors.EVENT_READ)
            while open_reads and not self._stop.is_set():
                for key, _ in selector.select(timeout=POLL_S):
                    src: socket.socket = key.fileobj  # type: ignore[assignment]
                    try:
                        data = src.recv(CHUNK)
                    except (BlockingIOError, InterruptedError):
                        continue
                    except OSError:
                        return
                    if src is upstream and swallow_response and data:
                        return  # the response exists: drop it and both connections
                    if not data:  # EOF one way: pass the half-close on, keep the other way
                        selector.unregister(src)
                        open_reads.discard(src)
                        with contextlib.suppress(OSError):
                            peer[src].shutdown(socket.SHUT_WR)
                        continue
                    try:
                        _send_all(peer[src], data, self._stop)
                    except OSError:
                        return


def _send_all(dst: socket.socket, data: bytes, stop: threading.Event) -> None:
    view = memoryview(data)
    with selectors.DefaultSelector() as selector:
        selector.register(dst, selectors.EVENT_WRITE)
        while view and not stop.is_set():
            try:
                view = view[dst.send(view) :]
            except (BlockingIOError, InterruptedError):
                selector.select(timeout=POLL_S)
