#!/usr/bin/python3
"""perf-summary.py - where the relay's time goes, grouped as issue 17 item 1 asks.

Reads a perf.data (bench/relay-bench.sh with PERF_DATA=FILE records the relay
process with `perf record -g` during a throughput run) and prints:

- every sample counted in one group, overall and for the three busiest
  threads (mailroute-engin: sessions, spool, delivery; mailroute-log: the
  message log and the trace store): kernel samples by their kernel call chain
  (TCP and loopback; fsync and file system; scheduling and wake-ups; page
  faults and memory; other system calls; interrupts and other), user-space
  samples by the function they were in (allocation, copies, SQLite, Qt event
  dispatch, Qt I/O, Qt strings and containers, locks, parsing, rewriting,
  signing, spool, delivery, trace and log);
- the top entries of `perf report --no-children --sort dso,symbol`, each with
  its group (kernel entries here by their own name only).

The groups are name patterns (RULES, KERNEL below), so they are estimates:
read the top entries beside them. With -g (frame pointers) the call chains of
Debian's libraries are cut short, so user-space time is attributed to the
function it was spent in, not to its caller (PERF_CALLGRAPH=dwarf in
relay-bench.sh records full chains, at a much larger perf.data).

Usage: bench/perf-summary.py PERF_DATA [--top 30] [--markdown]
"""
import argparse
import re
import subprocess
import sys

# Kernel samples are grouped by their kernel call chain (perf record -g has
# it even when user-space frames are lost): the first of these that any frame
# of the chain matches wins.
KERNEL = [
    ("kernel: TCP and loopback", r"^(tcp_|inet_|sock_|__sock_|sk_|skb_|__skb|ip_|__ip_|ipv4_|net_rx|__netif|netif_|__dev_queue|"
     r"loopback_|__sys_(send|recv|connect|accept|shutdown)|__x64_sys_(sendto|recvfrom|sendmsg|recvmsg|connect|accept4?|shutdown|socket)|"
     r"__napi|napi_|unix_|sock$)"),
    ("kernel: fsync and file system", r"(fsync|fdatasync|^ext4_|^jbd2|^blk_|^bio_|^submit_bio|^iomap_|^filemap_|writeback|"
     r"^generic_perform_write|^__x64_sys_(pwrite64|pread64|openat|unlink|rename|renameat2|ftruncate|fallocate|lseek|newfstatat|fstat|statx|close)|"
     r"^do_sys_open|^path_|^link_path_walk|^d_lookup|^__d_lookup|^vfs_fsync|^file_write_and_wait|^fput)"),
    ("kernel: scheduling and wake-ups", r"(^schedule|^__schedule|futex|epoll|^do_poll|^do_select|^__x64_sys_(poll|ppoll|select|pselect6|nanosleep|clock_nanosleep|sched_yield)|"
     r"wake_up|^try_to_wake_up|^finish_task_switch|^pick_next|^enqueue_|^dequeue_|^eventfd|^pipe_)"),
    ("kernel: page faults and memory", r"(page_fault|^handle_mm_fault|^do_anonymous|^__x64_sys_(madvise|mmap|munmap|brk|mprotect|mremap)|"
     r"^do_madvise|^clear_page|^zap_|^unmap_|^do_mmap|^__do_munmap|^tlb_)"),
    ("kernel: other system calls", r"^(do_syscall_64|entry_SYSCALL)"),
]
KERNEL = [(g, re.compile(p)) for g, p in KERNEL]

# User-space samples by the function they were in (self time):
# (group, library pattern or None, function pattern or None); the first match wins.
RULES = [
    ("allocation", None, r"malloc|free|calloc|realloc|_int_|tcache|arena|sysmalloc|operator new|operator delete|"
     r"QArrayData::(allocate|reallocate|deallocate)|cfree|__libc_memalign|aligned_alloc|posix_memalign|mremap_chunk|unlink_chunk"),
    ("copies (memcpy/memmove/memset)", None, r"memcpy|memmove|memset|mempcpy|wmemcpy"),
    ("signing (DKIM, OpenSSL)", r"libcrypto|libssl", None),
    ("signing (DKIM, OpenSSL)", None, r"Dkim|dkim|Canonicali|canonicali|sha256|SHA256|^bn_|^BN_|rsaz_|^RSA|^EVP_|^ossl_"),
    ("SQLite", r"libsqlite3|libQt6Sql|qsqlite|sqldrivers", None),
    ("SQLite", None, r"sqlite3|QSql"),
    ("trace and log", None, r"^(Trace|MessageLog|formatMessageLogLine|LogWriter)|MessageLogEntry|TraceIngest|TraceStore"),
    ("spool", None, r"^(Spool|QueuedMessage|QueueIdGenerator|RetrySchedule|HoldSet)|QueuedMessage"),
    ("delivery", None, r"^(Delivery|SmtpClient|NextHop|RecipientVerifier|RecipientCheck|VerifyCache)|NextHop|SmtpClientAction|DeliveryConnection"),
    ("signing (DKIM, OpenSSL)", None, r"^(DkimSigningStage|ArcSealingStage|Arc)"),
    ("rewriting", None, r"^(HeaderRewriter|RoutingSnapshot|RelayPolicy::route|MailAddress|Idna|idna|Area|AllowedSenders|rewrite|Rewrite)|"
     r"RoutingSnapshot|MailAddress|<QString, Area>|HeaderRewriter"),
    ("parsing (SMTP session, headers)", None, r"^(SmtpSession|SmtpCommandParser|SmtpServerConnection|HeaderSection|ReceivedField|SmtpReply|"
     r"parse|SessionAction|SmtpPolicy|RelayPolicy|SmtpEnvelope)|SessionAction|memchr|strchr|strlen|strn?cmp|qstrn?icmp|qustrchr|memrchr|strstr"),
    ("MailRoute engine (RelayEngine, other)", None, r"^(RelayEngine|EngineController|SmtpListener|GenerationFollower|RelayHousekeeper)"),
    ("Qt event dispatch", r"libQt6Core", r"QCoreApplication|QEventDispatcher|QEventLoop|QObject|QMetaObject|QMetaCallEvent|doActivate|"
     r"QSocketNotifier|QTimer|QThread|QEvent|QPostEvent|notify|sendPostedEvents|processEvents|QAbstractEventDispatcher|QTimerInfo"),
    ("Qt event dispatch", r"libglib", None),
    ("Qt I/O (sockets, QIODevice)", r"libQt6Network", None),
    ("Qt I/O (sockets, QIODevice)", None, r"QIODevice|QAbstractSocket|QTcp|QSsl|QNativeSocket|QRingBuffer|QFile|QFSFileEngine"),
    ("Qt strings and containers", None, r"QString|QByteArray|QChar|QLatin1|QUtf8|QVariant|QHash|QList|QMap|QJson|QCbor|Utf8|utf8|"
     r"QArrayData|QDateTime|QRegularExpression|pcre|qHash|QLocale|QUrl|QMetaType|compareStrings"),
    ("Qt strings and containers", r"libpcre|libicu|libdouble", None),
    ("locks and threads", None, r"pthread|mutex|Mutex|QReadWrite|__lll|lll_|QSemaphore|QWaitCondition|cond_"),
    ("Qt, unresolved or other", r"libQt6", None),
    ("libc and libstdc++, other", r"libc\.so|libm\.so|libstdc", None),
    ("MailRoute, other", r"mailroutectl|bench_", None),
]
COMPILED = [(g, re.compile(d) if d else None, re.compile(s) if s else None) for g, d, s in RULES]
LINE = re.compile(r"^\s*([0-9.]+)%\s+(\S+)\s+\[([.k])\]\s+(.*?)(?:\s+-\s+-)?\s*$")
UNRESOLVED = re.compile(r"^0x[0-9a-f]+$")
FRAME = re.compile(r"^\s*[0-9a-f]+\s+(.*?)\s+\((.*)\)\s*$")


def kernel_group(symbols):
    for group, pattern in KERNEL:
        if any(pattern.search(s) for s in symbols):
            return group
    return "kernel: interrupts and other"


def user_group(dso, symbol):
    # the project's namespace would match everything ("mailroute::" contains "route")
    symbol = re.sub(r"\bmailroute::(\(anonymous namespace\)::)?", "", symbol)
    for group, dp, sp in COMPILED:
        if dp and not dp.search(dso):
            continue
        if sp and not sp.search(symbol):
            continue
        return group
    return "other"


def samples(data):
    """(thread name, group) per sample, from perf script's call chains."""
    cmd = ["perf", "script", "-i", data, "-F", "comm,tid,ip,sym,dso"]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, errors="replace")
    comm, frames = None, []

    def flush():
        if comm is None:
            return None
        if not frames:
            return (comm, "other")
        sym, dso = frames[0]
        if dso.startswith("[kernel"):
            ks = []
            for s, d in frames:
                if not d.startswith("[kernel"):
                    break
                ks.append(re.sub(r"\+0x[0-9a-f]+$", "", s))
            return (comm, kernel_group(ks))
        return (comm, user_group(dso.rsplit("/", 1)[-1], re.sub(r"\+0x[0-9a-f]+$", "", sym)))

    for line in proc.stdout:
        if not line.strip():
            r = flush()
            if r:
                yield r
            comm, frames = None, []
        elif line[0] not in " \t":
            r = flush()
            if r:
                yield r
            comm, frames = line.split()[0], []
        else:
            m = FRAME.match(line)
            if m:
                frames.append((m.group(1), m.group(2)))
    r = flush()
    if r:
        yield r
    proc.wait()


def report(data, sort):
    cmd = ["perf", "report", "-i", data, "--no-children", "--sort", sort, "--stdio", "-g", "none",
           "--percent-limit", "0", "--max-stack", "0"]
    out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
    return [l for l in out.splitlines() if l and not l.startswith("#")]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("data")
    ap.add_argument("--top", type=int, default=30)
    ap.add_argument("--markdown", action="store_true")
    a = ap.parse_args()

    rows = []
    for l in report(a.data, "dso,symbol"):
        m = LINE.match(l)
        if m:
            pct, dso, kind, sym = float(m.group(1)), m.group(2), m.group(3), m.group(4).strip()
            g = kernel_group([sym]) if kind == "k" else user_group(dso, sym)
            rows.append((pct, dso, kind, sym, g))
    # addresses without a symbol (libraries without debug symbols): one row per library
    merged = {}
    for pct, dso, kind, sym, g in rows:
        k = (dso, "(addresses without symbols)", g) if UNRESOLVED.match(sym) else (dso, sym, g)
        merged[k] = merged.get(k, 0.0) + pct
    rows = sorted(((pct, dso, "", sym, g) for (dso, sym, g), pct in merged.items()), key=lambda r: -r[0])
    counts, threads, total = {}, {}, 0
    for comm, g in samples(a.data):
        counts[g] = counts.get(g, 0) + 1
        threads[comm] = threads.get(comm, 0) + 1
        counts[(g, comm)] = counts.get((g, comm), 0) + 1
        total += 1
    if not total:
        sys.exit("perf-summary: no samples in %s" % a.data)
    tops = [c for c, _ in sorted(threads.items(), key=lambda kv: -kv[1])][:3]
    groups = sorted(((g, n) for g, n in counts.items() if isinstance(g, str)), key=lambda kv: -kv[1])
    kernel = sum(n for g, n in groups if g.startswith("kernel")) * 100.0 / total
    md = a.markdown
    print("%d samples; groups by self time (kernel samples by their kernel call chain), share of all samples, and per thread:" % total)
    head = ["group", "all"] + tops
    if md:
        print("\n| " + " | ".join(head) + " |\n| --- |" + " ---: |" * (len(head) - 1))
    else:
        print("  %-40s %7s" % ("group", "all") + "".join(" %16s" % t[:16] for t in tops))
    for g, n in groups + [("kernel, all", None)]:
        pct = kernel if n is None else n * 100.0 / total
        cols = ["" if n is None else "%.1f %%" % (counts.get((g, t), 0) * 100.0 / total) for t in tops]
        if md:
            print("| %s | %.1f %% | %s |" % (g, pct, " | ".join(cols)))
        else:
            print("  %-40s %6.1f%%" % (g, pct) + "".join(" %16s" % c for c in cols))
    shares = ", ".join("%s %.1f %%" % (t, n * 100.0 / total) for t, n in sorted(threads.items(), key=lambda kv: -kv[1]))
    print("\nthreads: " + shares)
    print()
    print("top %d entries (perf report --no-children --sort dso,symbol; kernel entries grouped by their own name):" % a.top)
    if md:
        print("\n| self | library | function | group |\n| ---: | --- | --- | --- |")
    for pct, dso, kind, sym, g in rows[: a.top]:
        if md:
            print("| %.2f %% | %s | `%s` | %s |" % (pct, dso, sym[:90].replace("|", "\\|"), g))
        else:
            print("  %6.2f%%  %-22s %-70s %s" % (pct, dso[:22], sym[:70], g))


if __name__ == "__main__":
    main()
