#!/usr/bin/python3
"""perf-summary.py - where the relay's time goes, grouped as issue 17 item 1 asks.

Reads a perf.data (bench/relay-bench.sh with PERF_DATA=FILE records the relay
process during a throughput run) through

    perf report --no-children --sort dso,symbol --stdio -g none

and sums the self time of every (library, function) into groups: kernel (TCP
and loopback, scheduling and wake-ups, fsync and file system, page faults and
memory, system-call entry, other), allocation, copies, SQLite, Qt event
dispatch, Qt I/O, Qt strings and containers, locks and threads, parsing,
rewriting, signing, spool, delivery, trace and log, other. The rules are
name patterns (below), so a group is an estimate: read the top entries
beside it. Then the same samples per thread (--sort comm).

Usage: bench/perf-summary.py PERF_DATA [--top 30] [--markdown]
"""
import argparse
import re
import subprocess
import sys

# (group, dso pattern or None, symbol pattern or None); the first match wins.
RULES = [
    ("kernel: TCP and loopback", r"kernel", r"tcp_|inet_|sock_|sk_|skb|__skb|ip_|ipv4|ipv6|net_rx|netif|__dev_queue|loopback|"
     r"__sys_(send|recv)|sendto|recvfrom|sock|unix_|__napi|napi_|dst_|nf_|csum|__x64_sys_(send|recv|read|write|connect|accept|shutdown|close)"),
    ("kernel: scheduling and wake-ups", r"kernel", r"schedul|switch|pick_next|enqueue|dequeue|wake|futex|epoll|ep_|poll|select|"
     r"finish_task|update_curr|update_load|load_balance|idle|hrtimer|tick|__x64_sys_futex|rcu|pvclock|kvm_|nohz"),
    ("kernel: fsync and file system", r"kernel", r"ext4|jbd2|fsync|sync|blk_|bio|filemap|folio|iomap|xfs|vfs_|file_|generic_perform|"
     r"__x64_sys_(pwrite|pread|fdatasync|fsync|open|unlink|rename|lseek|fstat|newfstat)|dentry|d_|inode|path_|link_path|"
     r"do_sys_open|page_cache|writeback|mpage|submit_|virtio|fdatasync|lookup|namei|fcntl|flock|locks_"),
    ("kernel: page faults and memory", r"kernel", r"page|fault|mm_|mmap|munmap|brk|clear_|memcg|lru|pte|pmd|vma|alloc|kmem|slab|"
     r"kmalloc|kfree|__free|zap_|tlb|madvise"),
    ("kernel: system-call entry and copies", r"kernel", r"entry_SYSCALL|syscall|do_syscall|copy_|_copy|memcpy|memmove|memset|"
     r"rep_movs|clear_user|fpregs|restore|irq|exit_to_user|__x64_sys"),
    ("kernel: other", r"kernel", None),
    ("allocation", None, r"malloc|free|calloc|realloc|_int_|tcache|arena|sysmalloc|operator new|operator delete|"
     r"QArrayData::(allocate|reallocate|deallocate)|QtPrivate::QPodArrayOps.*reallocate|cfree|__libc_memalign|"
     r"aligned_alloc|posix_memalign|mremap_chunk|unlink_chunk|brk|sbrk"),
    ("copies (memcpy/memmove/memset)", None, r"memcpy|memmove|memset|__memcpy|__memmove|__memset|mempcpy|wmemcpy"),
    ("signing (DKIM, OpenSSL)", r"libcrypto|libssl", None),
    ("signing (DKIM, OpenSSL)", None, r"Dkim|dkim|Canonical|canonical|sha256|SHA256|bn_|BN_|rsaz_|RSA|EVP_|ossl_|ecp_|x25519|ed25519"),
    ("SQLite", r"libsqlite3|libQt6Sql|qsqlite|sqldrivers", None),
    ("SQLite", None, r"sqlite3|QSql"),
    ("trace and log", None, r"Trace|trace|MessageLog|messageLog|LogWriter|logWriter|LogThread|EventLog|RelayEvent|Event::"),
    ("spool", None, r"Spool|spool|QueuedMessage|Queue::|queue"),
    ("delivery", None, r"Delivery|delivery|SmtpClient|smtpClient|NextHop|nextHop|Connection(Pool|Cache)"),
    ("rewriting", None, r"Rewrit|rewrit|RulesSnapshot|Rules::|rule|Route|route|Canonicaliz|Resolve|lookup|Lookup|Address|address|Idna|idna|domain"),
    ("parsing (SMTP session, headers)", None, r"SmtpSession|smtpSession|Session|session|cmd[A-Z]|parse|Parse|consumeData|Header|header|"
     r"Mailbox|mailbox|Command|command|memchr|strchr|strlen|__strlen|strn?cmp|qstrn?icmp|toLower|isSpace|__memchr|__rawmemchr|memrchr|strstr"),
    ("Qt event dispatch", r"libQt6Core", r"QCoreApplication|QEventDispatcher|QEventLoop|QObject|QMetaObject|QMetaCallEvent|doActivate|"
     r"QSocketNotifier|QTimer|QThread|QEvent|QPostEvent|notify|sendPostedEvents|processEvents|QAbstractEventDispatcher|QTimerInfo"),
    ("Qt event dispatch", r"libglib", None),
    ("Qt I/O (sockets, QIODevice)", r"libQt6Network", None),
    ("Qt I/O (sockets, QIODevice)", None, r"QIODevice|QAbstractSocket|QTcp|QSsl|QNativeSocket|QRingBuffer|QLocalSocket|QFile|QFSFileEngine|QSocket"),
    ("Qt strings and containers", r"libQt6Core", r"QString|QByteArray|QChar|QLatin1|QUtf8|QVariant|QHash|QList|QMap|QJson|QCbor|Utf8|utf8|"
     r"QArrayData|QListData|QDateTime|QRegularExpression|pcre|qHash|QLocale|QUrl"),
    ("Qt strings and containers", r"libpcre|libicu|libdouble", None),
    ("locks and threads", None, r"pthread|mutex|Mutex|QBasicMutex|QReadWrite|__lll|lll_|QSemaphore|QWaitCondition|atomic|__GI___pthread|cond_"),
    ("Qt other", r"libQt6", None),
    ("libc other", r"libc\.so|libc-|libm\.so|libstdc", None),
    ("MailRoute other", r"mailroutectl|bench_", None),
]
COMPILED = [(g, re.compile(d) if d else None, re.compile(s) if s else None) for g, d, s in RULES]
LINE = re.compile(r"^\s*([0-9.]+)%\s+(\S+)\s+\[([.k])\]\s+(.*?)\s*$")


def group_of(dso, kind, symbol):
    dso_key = "kernel" if kind == "k" or dso.startswith("[kernel") else dso
    for group, dp, sp in COMPILED:
        if dp and not dp.search(dso_key):
            continue
        if sp and not sp.search(symbol):
            continue
        return group
    if dso_key == "kernel":
        return "kernel: other"
    return "other"


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
            pct, dso, kind, sym = float(m.group(1)), m.group(2), m.group(3), m.group(4)
            rows.append((pct, dso, kind, sym, group_of(dso, kind, sym)))
    if not rows:
        sys.exit("perf-summary: no samples in %s" % a.data)
    groups = {}
    for pct, _, _, _, g in rows:
        groups[g] = groups.get(g, 0.0) + pct
    kernel = sum(v for g, v in groups.items() if g.startswith("kernel"))
    md = a.markdown
    print("| group | share of samples |" if md else "groups (self time, share of the relay's samples):")
    if md:
        print("| --- | ---: |")
    for g, v in sorted(groups.items(), key=lambda kv: -kv[1]):
        print(("| %s | %.1f %% |" if md else "  %-40s %5.1f %%") % (g, v))
    print("| kernel, all | %.1f %% |" % kernel if md else "  %-40s %5.1f %%" % ("kernel, all", kernel))
    print()
    print("top %d entries (perf report --no-children --sort dso,symbol):" % a.top)
    if md:
        print("\n| self | library | function | group |\n| ---: | --- | --- | --- |")
    for pct, dso, kind, sym, g in rows[: a.top]:
        if md:
            print("| %.2f %% | %s | `%s` | %s |" % (pct, dso, sym[:90].replace("|", "\\|"), g))
        else:
            print("  %6.2f%%  %-22s %-70s %s" % (pct, dso[:22], sym[:70], g))
    print()
    print("per thread (--sort comm):")
    for l in report(a.data, "comm")[:12]:
        print("  " + l.strip())


if __name__ == "__main__":
    main()
