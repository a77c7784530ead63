"""Helpers shared by the security suites (attack_suite.py, smarthost_auth.py):
bounded waits, free loopback ports, and certificates made with openssl at
test time. Stdlib only."""
import os, socket, subprocess, time


def skip_or_fail(what):
    """The machine lacks `what`: exit 77 (ctest's SKIP_RETURN_CODE), or under
    CI=true fail (exit 1) so CI never passes while testing less (tests/skiporfail.h)."""
    if os.environ.get("CI", "").strip().lower() in ("true", "1", "yes"):
        print("FAIL: CI=true: required service missing: %s" % what)
        raise SystemExit(1)
    print("SKIP: %s" % what)
    raise SystemExit(77)


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def wait_for(pred, timeout=15.0):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if pred():
            return True
        time.sleep(0.05)
    return pred()


def openssl(*args):
    subprocess.run(["openssl", *args], check=True, capture_output=True)


class TestCa:
    """A throw-away CA in DIR and leaf certificates (EC P-256) signed by it."""

    def __init__(self, directory, name="MailRoute test CA"):
        self.dir = directory
        self.key, self.pem = os.path.join(directory, "ca.key"), os.path.join(directory, "ca.pem")
        openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                "-keyout", self.key, "-out", self.pem, "-days", "2", "-subj", "/CN=" + name)

    def leaf(self, name, san, days="2", signed=True):
        """{"cert", "key"} for CN=name with subjectAltName san ("IP:127.0.0.1", "DNS:x");
        days "-1" makes it expired; signed=False makes it self-signed."""
        k, c, csr, ext = (os.path.join(self.dir, name + x) for x in (".key", ".pem", ".csr", ".ext"))
        with open(ext, "w") as f:
            f.write("subjectAltName=%s\n" % san)
        openssl("req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", k,
                "-out", csr, "-subj", "/CN=" + name)
        sign = ["x509", "-req", "-in", csr, "-days", days, "-extfile", ext, "-out", c]
        sign += ["-CA", self.pem, "-CAkey", self.key, "-CAcreateserial"] if signed else ["-signkey", k]
        openssl(*sign)
        return {"cert": c, "key": k}


def stop_all(procs, workdir):
    """Stops every process the suite started, by its PID, and removes its work folder."""
    for p in procs:
        if p.poll() is None:
            p.terminate()
            try:
                p.wait(15)
            except subprocess.TimeoutExpired:
                p.kill()
    subprocess.run(["rm", "-rf", workdir])


def finish(failures, ok_line):
    if failures:
        print("\n".join("FAIL: " + f for f in failures))
        raise SystemExit(1)
    print(ok_line)


def start_serve(ctl, env, workdir, procs, capture_stdout=False):
    """`mailroutectl serve` on a free loopback port; returns (process, port) once it listens."""
    port = free_port()
    p = subprocess.Popen([ctl, "serve", "--listen", "127.0.0.1:%d" % port, "--spool", os.path.join(workdir, "spool")],
                         env=env, stdout=subprocess.PIPE if capture_stdout else subprocess.DEVNULL,
                         stderr=subprocess.PIPE, text=True)
    procs.append(p)
    if not wait_for(lambda: "listening on" in (p.stderr.readline() or "")):
        raise SystemExit("serve did not start")
    return p, port
