"""Kernels that talk over Unix sockets with names of their own, never over TCP ports.

jupyter_client picks a kernel's five TCP ports by asking the system for free ones, and lets them go before
the kernel binds them, so two kernels started at once in different processes (`make book` executes in
parallel, and `make test` runs nbval beside builds that execute) can be given the same ports, and a client can
end up talking to another notebook's kernel. A socket path unique to each kernel cannot be given twice.
"""

from __future__ import annotations

import tempfile
import uuid
from pathlib import Path

from jupyter_client.manager import AsyncKernelManager, KernelManager
from traitlets import CaselessStrEnum, default


def _unique_prefix() -> str:
    # short: a Unix socket path has at most 107 bytes, and the kernel appends "-<n>"
    return str(Path(tempfile.gettempdir()) / f"twotracks-kernel-{uuid.uuid4().hex[:16]}")


class IpcKernelManager(KernelManager):
    """For nbval (tests/conftest.py), which starts kernels with jupyter_client's blocking manager."""

    transport = CaselessStrEnum(["tcp", "ipc"], default_value="ipc", config=True)

    @default("ip")
    def _unique_ip(self) -> str:
        return _unique_prefix()


class AsyncIpcKernelManager(IpcKernelManager, AsyncKernelManager):
    """For nbclient (bookbuild.execute): the same sockets, on jupyter_client's asynchronous manager."""
