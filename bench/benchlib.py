"""What the Python parts of the bench/*.sh scripts share.

bench/benchlib.sh puts bench/ on PYTHONPATH, so a script's embedded Python
says `import benchlib`.
"""
import socket
import time


def proc_status_bytes(pid, key):
    """A size field of /proc/PID/status (VmRSS, VmHWM, ...) in bytes; 0 when
    the process is gone."""
    try:
        with open("/proc/%s/status" % pid) as f:
            for line in f:
                if line.startswith(key + ":"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def sink_count(path):
    """Messages smtp-sink -c has counted so far, from the end of its output."""
    try:
        with open(path, "rb") as f:
            f.seek(0, 2)
            f.seek(max(0, f.tell() - 200))
            tail = f.read().decode("ascii", "replace")
    except OSError:
        return 0
    i = tail.rfind("mesg=")
    digits = ""
    for c in tail[i + 5:] if i >= 0 else "":
        if not c.isdigit():
            break
        digits += c
    return int(digits or 0)


def open_idle_sessions(port, n, settle=1.0):
    """n SMTP sessions on 127.0.0.1:port, each after its EHLO reply, left
    open; waits `settle` seconds and returns the sockets."""
    socks = []
    for _ in range(n):
        s = socket.create_connection(("127.0.0.1", port), timeout=30)
        s.recv(512)
        s.sendall(b"EHLO idle.bench.invalid\r\n")
        socks.append(s)
    for s in socks:
        s.recv(4096)
    time.sleep(settle)
    return socks
