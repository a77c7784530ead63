#!/usr/bin/python3
"""A small authoritative DNS server for MailRoute's tests, on 127.0.0.1 over
UDP and TCP at one port chosen by the system (port 0), serving the records
given on its command line, and misbehaving on request per (name, type):
never answering, answering SERVFAIL or REFUSED, or NXDOMAIN for a name that
has other records. dnsmasq cannot drop the queries of one type; this can.

  fakedns.py --record "good.test. 300 MX 10 mx1.good.test." \\
             --record "mx1.good.test. 300 A 127.0.0.2" \\
             --drop "dropmx.test. MX" --servfail "broken.test. *" \\
             --truncate "long.test. TXT" --negative-ttl 60

Prints "PORT <n>" on stdout once it listens, then one line per query,
"query <TYPE> <name> <proto>", so a test can count what was asked. Exits when
its standard input closes or on SIGTERM. Uses dnspython (python3-dnspython).
"""

import argparse
import socket
import struct
import sys
import threading

import dns.flags
import dns.message
import dns.name
import dns.rcode
import dns.rdata
import dns.rdataclass
import dns.rdatatype
import dns.rrset

LOCK = threading.Lock()


def log(line):
    with LOCK:
        sys.stdout.write(line + "\n")
        sys.stdout.flush()


class Zone:
    def __init__(self, args):
        self.records = {}  # (name, rdtype) -> rrset
        self.names = set()
        for text in args.record:
            parts = text.split(None, 3)
            if len(parts) != 4:
                sys.exit("bad --record %r: NAME TTL TYPE RDATA" % text)
            name = dns.name.from_text(parts[0])
            ttl = int(parts[1])
            rdtype = dns.rdatatype.from_text(parts[2])
            key = (name, rdtype)
            rrset = self.records.get(key)
            if rrset is None:
                rrset = dns.rrset.RRset(name, dns.rdataclass.IN, rdtype)
                self.records[key] = rrset
            rrset.add(dns.rdata.from_text(dns.rdataclass.IN, rdtype, parts[3]), ttl)
            # Every ancestor exists too (an empty non-terminal answers NODATA).
            n = name
            while n != dns.name.root:
                self.names.add(n)
                n = n.parent()
        self.rules = {}
        for action in ("drop", "servfail", "refused", "nxdomain", "truncate"):
            for text in getattr(args, action):
                parts = text.split()
                if len(parts) != 2:
                    sys.exit("bad --%s %r: NAME TYPE (TYPE may be *)" % (action, text))
                rdtype = None if parts[1] == "*" else dns.rdatatype.from_text(parts[1])
                self.rules[(dns.name.from_text(parts[0]), rdtype)] = action
        self.negative_ttl = args.negative_ttl
        self.soa_name = dns.name.from_text(args.soa_zone)

    def rule(self, name, rdtype):
        return self.rules.get((name, rdtype)) or self.rules.get((name, None))

    def soa(self):
        rrset = dns.rrset.RRset(self.soa_name, dns.rdataclass.IN, dns.rdatatype.SOA)
        # RFC 2308 §5: the negative TTL is min(SOA TTL, MINIMUM); the TTL here
        # is higher so that a resolver must use MINIMUM.
        rrset.add(dns.rdata.from_text(dns.rdataclass.IN, dns.rdatatype.SOA,
                                      "ns.%s hostmaster.%s 1 3600 600 86400 %d"
                                      % (self.soa_name, self.soa_name, self.negative_ttl)), 3600)
        return rrset

    def answer(self, wire, proto):
        """The reply in wire format, or None to stay silent."""
        try:
            query = dns.message.from_wire(wire)
        except Exception:  # noqa: BLE001 - a test server ignores garbage
            return None
        if not query.question:
            return None
        q = query.question[0]
        log("query %s %s %s" % (dns.rdatatype.to_text(q.rdtype), q.name.to_text(), proto))
        response = dns.message.make_response(query)
        response.flags |= dns.flags.AA
        action = self.rule(q.name, q.rdtype)
        if action == "drop":
            return None
        if action == "servfail":
            response.set_rcode(dns.rcode.SERVFAIL)
            return response.to_wire()
        if action == "refused":
            response.set_rcode(dns.rcode.REFUSED)
            return response.to_wire()
        if action == "truncate" and proto == "udp":
            response.flags |= dns.flags.TC
            return response.to_wire()
        rrset = self.records.get((q.name, q.rdtype))
        if action == "nxdomain" or (rrset is None and q.name not in self.names):
            response.set_rcode(dns.rcode.NXDOMAIN)
            response.authority.append(self.soa())
        elif rrset is None:
            response.authority.append(self.soa())  # NODATA
        else:
            response.answer.append(rrset)
        return response.to_wire(max_size=65535)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--record", action="append", default=[], help='"NAME TTL TYPE RDATA"')
    for action in ("drop", "servfail", "refused", "nxdomain", "truncate"):
        parser.add_argument("--" + action, action="append", default=[], help='"NAME TYPE" (TYPE may be *)')
    parser.add_argument("--negative-ttl", type=int, default=60)
    parser.add_argument("--soa-zone", default="test.")
    args = parser.parse_args()
    zone = Zone(args)

    # One port for UDP and TCP: take a free UDP port, then the same for TCP.
    for _ in range(50):
        udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        udp.bind(("127.0.0.1", 0))
        port = udp.getsockname()[1]
        tcp = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        tcp.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            tcp.bind(("127.0.0.1", port))
        except OSError:
            udp.close()
            tcp.close()
            continue
        tcp.listen(64)
        break
    else:
        sys.exit("no free port for UDP and TCP")

    def serve_udp():
        while True:
            wire, peer = udp.recvfrom(65535)
            reply = zone.answer(wire, "udp")
            if reply is not None:
                udp.sendto(reply, peer)

    def serve_tcp_client(conn):
        with conn:
            while True:
                head = conn.recv(2, socket.MSG_WAITALL)
                if len(head) < 2:
                    return
                wire = conn.recv(struct.unpack("!H", head)[0], socket.MSG_WAITALL)
                reply = zone.answer(wire, "tcp")
                if reply is not None:
                    conn.sendall(struct.pack("!H", len(reply)) + reply)

    def serve_tcp():
        while True:
            conn, _ = tcp.accept()
            threading.Thread(target=serve_tcp_client, args=(conn,), daemon=True).start()

    threading.Thread(target=serve_udp, daemon=True).start()
    threading.Thread(target=serve_tcp, daemon=True).start()
    log("PORT %d" % port)
    try:
        sys.stdin.read()  # until the test closes it (or kills us)
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
