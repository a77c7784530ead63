#!/usr/bin/env python3
"""The differential test's configuration, corpus, client and comparison
(tests/app/postfix_export_diff.sh runs them; stdlib only).

  gen DIR                  the generation (domains.txt, inbound.csv, outbound.csv)
                           and corpus.json: >= 1,000 recipient addresses
  send CORPUS PORT OUT     sends every message to 127.0.0.1:PORT from the
                           message's client address; OUT: RCPT replies per message,
                           then the reply to the message text
  accepted CORPUS OUT      how many recipients the relay took (message text accepted)
  compare CORPUS SINKLOG MR_REPLIES PF_REPLIES
                           the same envelope senders, recipients (and next hop),
                           To/Cc/From addresses and RCPT replies at both relays?
                           Prints "N addresses compared, D differences".

Both relays deliver to the same sinks; the sink's "helo" says which relay
delivered (mailroute.test or postfix.test). A header X-Corpus-Id pairs copies.
"""
import base64
import email.parser
import email.policy
import email.utils
import json
import random
import smtplib
import sys

NON_ALLOWED = "127.0.0.2"  # any Internet client: only addresses a rule claims
ALLOWED = "127.0.0.3"      # outbound.allowed_clients: anywhere, senders rewritten
SYSTEMS = {"mailroute.test": "mailroute", "postfix.test": "postfix"}


def case_variant(rng, s):
    pick = rng.randrange(4)
    if pick == 0:
        return s
    if pick == 1:
        return s.upper()
    if pick == 2:
        return s.lower()
    return "".join(c.upper() if rng.random() < 0.5 else c.lower() for c in s)


def gen(out):
    rng = random.Random(6)
    domains = [  # area, source, target
        ("inbound", "@ws1.example", "@dp.example"),
        ("inbound", "@WS2.Example", "@dp2.example"),     # entered in mixed case
        ("inbound", "@xn--bcher-kva.example", "@dp.example"),
        ("relay", "@old1.example", "@new1.example"),
        ("relay", "@Old2.Example", "@new2.example"),
        ("relay", "@ws1.example", "@elsewhere.example"),  # shadowed: Inbound fires first
        ("outbound", "@dp2.example", "@ws2.example"),
    ]
    inbound = [(f"u{i}@ws1.example", f"First.Last{i}@dp.example") for i in range(300)]
    inbound += [(f"only{i}@only.example", f"o{i}@dp2.example") for i in range(40)]  # a domain with users only
    inbound += [('"john doe"@ws1.example', "jd@dp.example"), ("#team@ws1.example", "team@dp.example"),
                ("a+b@ws2.example", "plus@dp2.example"), ("O'Brien@ws2.example", "obrien@dp2.example"),
                ("#cash@ws2.example", "pay$roll@dp2.example")]
    outbound = [(f"First.Last{i}@dp.example", f"u{i}@ws1.example") for i in range(150)]
    with open(f"{out}/domains.txt", "w") as f:
        for d in domains:
            f.write(" ".join(d) + "\n")
    for name, rows in (("inbound", inbound), ("outbound", outbound)):
        with open(f"{out}/{name}.csv", "w") as f:
            f.write("Source;Target\n")
            for s, t in rows:
                f.write(f"{s};{t}\n" if '"' not in s else f'"{s.replace(chr(34), chr(34) * 2)}";{t}\n')

    # Recipients a rule claims (any client), and those only allowed clients may use.
    claimed = [case_variant(rng, s) for s, _ in inbound]
    for dom in ("ws1.example", "ws2.example", "xn--bcher-kva.example", "old1.example", "old2.example"):
        for i in range(50):
            local = rng.choice(["chloe", "Dave.Smith", "x", "sales", "No-Reply", "a_b"]) + str(i)
            claimed.append(f"{case_variant(rng, local)}@{case_variant(rng, dom)}")
    unclaimed = [f"someone{i}@partner.example" for i in range(40)] + \
                [f"Ext{i}@Random.Example" for i in range(40)] + \
                [f"u{i}@sub.ws1.example" for i in range(20)] + \
                [f"nobody{i}@only.example" for i in range(20)] + \
                [f"x{i}@dp.example" for i in range(20)]
    rng.shuffle(claimed)
    rng.shuffle(unclaimed)

    messages = []
    def message(client, sender, rcpts, from_hdr, cc_extra=(), hops=0, body_kib=0):
        shown = [(f"Person {j}" if j % 2 else "", r) for j, r in enumerate(rcpts)]
        to = shown[: max(1, len(shown) - 2)]
        cc = shown[len(to):] + [("", c) for c in cc_extra]
        m = {"id": len(messages), "client": client, "mail": sender, "rcpts": rcpts,
             "headers": {"From": from_hdr, "To": [email.utils.formataddr(a) for a in to],
                         "Cc": [email.utils.formataddr(a) for a in cc]}}
        if hops:
            m["hops"] = hops
        if body_kib:
            m["body_kib"] = body_kib
        messages.append(m)

    # Mail from the Internet: claimed recipients (accepted) with a few unclaimed ones (refused).
    pool_claimed = list(claimed)
    pool_unclaimed = list(unclaimed)
    while pool_claimed:
        rcpts = [pool_claimed.pop() for _ in range(min(6, len(pool_claimed)))]
        if pool_unclaimed and rng.random() < 0.6:
            rcpts.insert(rng.randrange(len(rcpts) + 1), pool_unclaimed.pop())
        cc_extra = [case_variant(rng, rng.choice(inbound)[0])] if rng.random() < 0.3 else []
        message(NON_ALLOWED, f"ext{len(messages)}@outside.example", rcpts,
                f"Outside Sender <ext{len(messages)}@outside.example>", cc_extra)
    # From allow-listed clients: senders through Outbound, recipients anywhere.
    senders = [case_variant(rng, s) for s, _ in outbound[:120]] + \
              [f"{case_variant(rng, 'staff')}{i}@{case_variant(rng, 'dp2.example')}" for i in range(40)] + \
              [f"plain{i}@unmapped.example" for i in range(20)] + [""]
    anywhere = [f"friend{i}@partner.example" for i in range(120)] + [f"Ext{i}@Random.Example" for i in range(120)] + \
               [case_variant(rng, s) for s, _ in inbound[:60]]
    rng.shuffle(anywhere)
    for i, sender in enumerate(senders):
        rcpts = [anywhere[(3 * i + k) % len(anywhere)] for k in range(3)]
        display = f'"Owen, Bob" <{sender}>' if i % 3 == 0 else (sender or "MAILER-DAEMON@ws1.example")
        message(ALLOWED, sender, rcpts, display)
    # outbound.allowed_senders is empty: allow-listed clients relay for the domains the
    # Outbound rules name (dp.example, dp2.example, ws1.example, ws2.example) and <>.
    # Another tenant of a shared range is refused for recipients no rule claims (550 5.7.1
    # naming the setting), but still reaches the claimed ones, as any client does.
    for i in range(30):
        sender = [f"tenant{i}@other-tenant.example", f"x{i}@sub.dp2.example", f"y{i}@{case_variant(rng, 'ws2.example')}"][i % 3]
        rcpts = [f"friend{i}@partner.example", case_variant(rng, inbound[100 + i][0]), f"Far{i}@Random.Example"]
        message(ALLOWED, sender, rcpts, f"Tenant <{sender}>")
    # An Outbound source address from any other client stays as it is: MailRoute
    # applies the Outbound rules to allow-listed clients only, the export through
    # its second pass (master.cf.fragment).
    for i in range(30):
        sender = case_variant(rng, outbound[i][0])
        message(NON_ALLOWED, sender, [inbound[i][0]], f"Someone <{sender}>")
    # Loop protection (docs/behaviour.md "Loop protection", relay.max_hops 50): 50 Received: fields pass, 51
    # are refused.
    for client in (NON_ALLOWED, ALLOWED):
        for hops in (49, 50, 51, 52):
            message(client, f"hops{hops}@outside.example", [inbound[hops][0]], f"hops{hops}@outside.example",
                    hops=hops)
    # Limits from the settings (the test sets limits.recipients 50, limits.message_size 100K):
    # the 51st recipient gets 452, a 150 KiB message 552, a 90 KiB one passes. Lines stay
    # within 998 octets: MailRoute refuses longer ones (limits.text_line), Postfix breaks them (README).
    message(ALLOWED, "many@dp2.example", [f"r{i}@partner.example" for i in range(55)], "many@dp2.example")
    for kib in (90, 150):
        message(ALLOWED, f"big{kib}@dp2.example", [f"big{kib}@partner.example"], f"big{kib}@dp2.example",
                body_kib=kib)
    with open(f"{out}/corpus.json", "w") as f:
        json.dump(messages, f, indent=0)
    n_rcpt = sum(len(m["rcpts"]) for m in messages)
    print(f"{len(messages)} messages, {n_rcpt} recipient addresses, {len(inbound)} inbound and "
          f"{len(outbound)} outbound user rules")


def build(m):
    h = m["headers"]
    lines = [f"Received: from hop{i}.test by relay{i}.test; Fri, 27 Nov 2026 20:00:00 +0000"
             for i in range(m.get("hops", 0))]
    # Folded after every fourth address, so that no line passes 998 octets (RFC 5322 §2.1.1).
    def field(name, addresses):
        return f"{name}: " + ",\r\n ".join(", ".join(addresses[i:i + 4]) for i in range(0, len(addresses), 4))
    lines += [f"From: {h['From']}", field("To", h["To"])]
    if h["Cc"]:
        lines.append(field("Cc", h["Cc"]))
    lines += [f"Subject: corpus {m['id']}", f"X-Corpus-Id: {m['id']}",
              f"Message-ID: <corpus{m['id']}@test.invalid>", "Date: Fri, 27 Nov 2026 21:00:00 +0000", "",
              f"message {m['id']}"] + ["x" * 998] * m.get("body_kib", 0) + [""]
    return "\r\n".join(lines).encode()


def send(corpus, port, out):
    replies = {}
    texts = {}  # the texts of refused RCPTs, to compare the reasons as well as the codes
    for m in json.load(open(corpus)):
        s = smtplib.SMTP("127.0.0.1", int(port), local_hostname="client.test", timeout=60,
                         source_address=(m["client"], 0))
        try:
            s.ehlo()
            code, _ = s.mail(m["mail"])
            if code != 250:
                raise RuntimeError(f"MAIL FROM:<{m['mail']}> got {code}")
            answers = [s.rcpt(r) for r in m["rcpts"]]
            codes = [a[0] for a in answers]
            if any(c >= 500 for c in codes):
                texts[m["id"]] = [a[1].decode("utf-8", "replace") if a[0] >= 500 else "" for a in answers]
            if any(c == 250 for c in codes):
                code, text = s.data(build(m))
                if code != 250 and not (m.get("hops") or m.get("body_kib")):
                    raise RuntimeError(f"message {m['id']}: DATA got {code} {text}")
                codes.append(code)  # the reply after the message text, last
            replies[m["id"]] = codes
            s.quit()
        finally:
            s.close()
    json.dump(replies, open(out, "w"))
    json.dump(texts, open(out + ".texts", "w"))


def accepted(corpus, replies_path):
    """Recipients the relay took responsibility for: accepted in a message whose text was accepted."""
    replies = json.load(open(replies_path))
    n = 0
    for m in json.load(open(corpus)):
        codes = replies[str(m["id"])]
        if len(codes) > len(m["rcpts"]) and codes[-1] == 250:
            n += sum(1 for c in codes[: len(m["rcpts"])] if c == 250)
    return n


def norm(addr):
    """Addresses compare with the domain case-folded (RFC 5321 §2.4); MailRoute
    writes domains in lower case, Postfix keeps what the client wrote."""
    addr = addr.strip().strip("<>")
    at = addr.rfind("@")
    return addr if at < 0 else addr[:at] + "@" + addr[at:].lower()[1:]


def header_addresses(data, name):
    msg = email.parser.BytesParser(policy=email.policy.compat32).parsebytes(data, headersonly=True)
    return [norm(a) for _, a in email.utils.getaddresses(msg.get_all(name, [])) if a]


def compare(corpus, sinklog, mr_replies, pf_replies):
    messages = json.load(open(corpus))
    replies = {"mailroute": json.load(open(mr_replies)), "postfix": json.load(open(pf_replies))}
    got = {}  # (system, id) -> {"mail", "rcpts": {rcpt: sink}, "headers"}
    for path in sinklog:
        sink = path.rsplit("/", 1)[-1]
        for line in open(path):
            ev = json.loads(line)
            if ev.get("ev") != "msg":
                continue
            data = base64.b64decode(ev["data"])
            system = SYSTEMS.get(ev["helo"])
            cid = email.parser.BytesParser(policy=email.policy.compat32).parsebytes(data, True)["X-Corpus-Id"]
            entry = got.setdefault((system, int(cid)), {"mail": set(), "rcpts": {}, "headers": set()})
            entry["mail"].add(norm(ev["mail"].split(" ")[0]))
            for r in ev["rcpts"]:
                entry["rcpts"][norm(r)] = sink
            entry["headers"].add(tuple(tuple(header_addresses(data, h)) for h in ("From", "To", "Cc")))
    compared = diffs = replies_compared = 0
    report = []
    for m in messages:
        mid = m["id"]
        a = got.get(("mailroute", mid), {"mail": set(), "rcpts": {}, "headers": set()})
        b = got.get(("postfix", mid), {"mail": set(), "rcpts": {}, "headers": set()})
        ra, rb = replies["mailroute"].get(str(mid), []), replies["postfix"].get(str(mid), [])
        items = []  # (what, mailroute's, postfix's)
        for i, r in enumerate(m["rcpts"]):
            items.append((f"RCPT {r} reply", ra[i] if i < len(ra) else None, rb[i] if i < len(rb) else None))
        items.append(("reply to the message text", ra[len(m["rcpts"]):], rb[len(m["rcpts"]):]))
        for r in sorted(set(a["rcpts"]) | set(b["rcpts"])):
            items.append((f"delivered recipient {r} (next hop)", a["rcpts"].get(r), b["rcpts"].get(r)))
        items.append(("envelope sender", sorted(a["mail"]), sorted(b["mail"])))
        ha = sorted(a["headers"])
        hb = sorted(b["headers"])
        for k, h in enumerate(("From", "To", "Cc")):
            va = [x[k] for x in ha]
            vb = [x[k] for x in hb]
            n = max([len(x) for x in va + vb] + [1])
            for j in range(n):
                items.append((f"{h}: address {j + 1}", [x[j] if j < len(x) else None for x in va],
                              [x[j] if j < len(x) else None for x in vb]))
        for what, x, y in items:
            if what == "reply to the message text":
                replies_compared += 1
            else:
                compared += 1
            if x != y:
                diffs += 1
                report.append(f"  DIFF message {mid} {what}: mailroute {x!r}, postfix {y!r}")
    delivered = sum(len(v["rcpts"]) for (s, _), v in got.items() if s == "mailroute")
    for line in report[:60]:
        print(line)
    # The corpus must exercise what it claims to, or 0 differences proves little.
    sent = {norm(r).lower() for m in messages for r in m["rcpts"]}
    mine = [v for (s, _), v in got.items() if s == "mailroute"]
    coverage = {
        "recipients rewritten": sum(1 for v in mine for r in v["rcpts"] if r.lower() not in sent),
        "recipients refused": sum(1 for m in messages for c in replies["mailroute"][str(m["id"])][:len(m["rcpts"])]
                                  if c != 250),
        "messages refused as loops": sum(1 for m in messages if replies["mailroute"][str(m["id"])][-1] == 554),
        "messages refused as too big": sum(1 for m in messages if replies["mailroute"][str(m["id"])][-1] == 552),
        "recipients via the route": sum(1 for v in mine for sink in v["rcpts"].values() if sink.startswith("route")),
        "senders rewritten": sum(1 for m in messages if m["mail"] and
                                 got.get(("mailroute", m["id"]), {}).get("mail") not in (None, {norm(m["mail"])})),
        "Outbound sources kept (other clients)": sum(
            1 for m in messages if m["client"] == NON_ALLOWED and m["mail"].lower().startswith("first.last") and
            got.get(("mailroute", m["id"]), {}).get("mail") == {norm(m["mail"])}),
        "header addresses rewritten": sum(1 for m in messages for h in ("To", "Cc", "From")
                                          for a in header_addresses(build(m), h)
                                          if got.get(("mailroute", m["id"])) and
                                          a not in {x for t in got[("mailroute", m["id"])]["headers"] for f in t for x in f}),
    }
    # outbound.allowed_senders: both relays refuse an allow-listed client's foreign sender
    # for unclaimed recipients, with a reason that names the setting.
    allowed_domains = {"dp.example", "dp2.example", "ws1.example", "ws2.example"}
    texts = {"mailroute": json.load(open(mr_replies + ".texts")), "postfix": json.load(open(pf_replies + ".texts"))}
    sender_refusals = 0
    for m in messages:
        domain = m["mail"].rpartition("@")[2].lower()
        if m["client"] != ALLOWED or not m["mail"] or domain in allowed_domains:
            continue
        for i, code in enumerate(replies["mailroute"][str(m["id"])][:len(m["rcpts"])]):
            if code != 550:
                continue
            for system in ("mailroute", "postfix"):
                t = texts[system].get(str(m["id"]), [""] * len(m["rcpts"]))[i]
                if "sender domain not in outbound.allowed_senders" not in t:
                    diffs += 1
                    report.append(f"  DIFF message {m['id']} RCPT {m['rcpts'][i]}: {system} refused with {t!r}")
            sender_refusals += 1
    coverage["foreign senders of allow-listed clients refused"] = sender_refusals
    coverage["organisation senders of allow-listed clients relayed"] = sum(
        1 for m in messages if m["client"] == ALLOWED and m["mail"].rpartition("@")[2].lower() in allowed_domains
        for r, c in zip(m["rcpts"], replies["mailroute"][str(m["id"])]) if c == 250 and
        "partner.example" in r.lower())
    for line in report[:60]:
        if "refused with" in line:
            print(line)
    print("coverage: " + ", ".join(f"{k} {v}" for k, v in coverage.items()))
    least = {"messages refused as loops": 4, "messages refused as too big": 1}
    thin = [k for k, v in coverage.items() if v < least.get(k, 20)]
    if thin:
        print(f"FAIL: the corpus barely exercises {', '.join(thin)}")
        return 1
    print(f"{len(messages)} messages, {sum(len(m['rcpts']) for m in messages)} recipient addresses sent, "
          f"{delivered} delivered by MailRoute")
    print(f"{compared} addresses compared (and {replies_compared} replies to message texts), {diffs} differences")
    return 0 if diffs == 0 else 1


if __name__ == "__main__":
    cmd = sys.argv[1]
    if cmd == "gen":
        gen(sys.argv[2])
    elif cmd == "send":
        send(*sys.argv[2:5])
    elif cmd == "accepted":
        print(accepted(sys.argv[2], sys.argv[3]))
    elif cmd == "compare":
        sys.exit(compare(sys.argv[2], sys.argv[3].split(","), sys.argv[4], sys.argv[5]))
    else:
        sys.exit(f"unknown command {cmd}")
