// PostfixExport on fixed generations: order
// (docs/behaviour.md "Routing precedence"), quoting of addresses the hash:
// format cannot hold, empty areas, IDN and mixed case, chain warnings, next-hop
// syntax, secrets, and the atomic write.
#include "relaycore/export/postfixexport.h"

#include "relaycore/store/configstore.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace mailroute;

namespace {

QString text(const PostfixExportResult &r, const QString &name)
{
    const ExportedFile *f = r.file(name);
    return f ? QString::fromUtf8(f->content) : u"<missing "_s + name + u'>';
}

// The table's entries without the comment lines.
QStringList entries(const PostfixExportResult &r, const QString &name)
{
    QStringList out;
    for (const QString &line : text(r, name).split(u'\n', Qt::SkipEmptyParts)) {
        if (!line.startsWith(u'#'))
            out << line;
    }
    return out;
}

QString mainCfValue(const PostfixExportResult &r, const QString &parameter)
{
    for (const QString &line : text(r, u"main.cf.fragment"_s).split(u'\n')) {
        if (line == parameter + u" ="_s)
            return QString();
        if (line.startsWith(parameter + u" = "_s))
            return line.mid(parameter.size() + 3);
    }
    return u"<unset>"_s;
}

TransportRoute route(const QString &domain, const QString &nextHop)
{
    TransportRoute r;
    r.domain = domain;
    r.nextHop = nextHop;
    return r;
}

ConfigData sample()
{
    ConfigData c;
    c.area(Area::Inbound).domains = {{u"warmsushi.com"_s, u"drypizza.com"_s},
                                     {u"acme.example"_s, u"drypizza.com"_s}};
    c.area(Area::Inbound).users = {{u"zoe@warmsushi.com"_s, u"zoe.new@drypizza.com"_s},
                                   {u"Bob@warmsushi.com"_s, u"Bob.Owen@DryPizza.com"_s}};
    c.area(Area::Relay).domains = {{u"old.example"_s, u"new.example"_s},
                                   {u"warmsushi.com"_s, u"elsewhere.example"_s}};
    c.area(Area::Outbound).users = {{u"bob.owen@drypizza.com"_s, u"bob@warmsushi.com"_s}};
    c.area(Area::Outbound).domains = {{u"drypizza.com"_s, u"warmsushi.com"_s}};
    return c;
}

} // namespace

class TestPostfixExport : public QObject
{
    Q_OBJECT

private slots:
    void usersBeforeDomainsInboundBeforeRelay()
    {
        const PostfixExportResult r = PostfixExport::build(sample(), 7, u"/etc/postfix/mailroute"_s);
        QCOMPARE(r.generation, 7);
        // Users sorted case-insensitively, then Inbound and Relay domains; the
        // Relay rule for a domain Inbound maps is left out (Inbound fires first).
        QCOMPARE(entries(r, u"recipient_canonical"_s),
                 QStringList({u"Bob@warmsushi.com Bob.Owen@DryPizza.com"_s,
                              u"zoe@warmsushi.com zoe.new@drypizza.com"_s, u"@acme.example @drypizza.com"_s,
                              u"@old.example @new.example"_s, u"@warmsushi.com @drypizza.com"_s}));
        QCOMPARE(r.recipientRules, 5);
        QVERIFY(r.warnings.join(u'\n').contains(
            u"Relay rule @warmsushi.com -> @elsewhere.example is not exported"_s));
        QCOMPARE(entries(r, u"sender_canonical"_s), QStringList({u"bob.owen@drypizza.com bob@warmsushi.com"_s,
                                                                 u"@drypizza.com @warmsushi.com"_s}));
        QCOMPARE(r.senderRules, 2);
        QCOMPARE(entries(r, u"relay_domains"_s),
                 QStringList({u"acme.example OK"_s, u"old.example OK"_s, u"warmsushi.com OK"_s}));
        QVERIFY(entries(r, u"recipient_canonical.regexp"_s).isEmpty());
    }

    void mainCfWiresTheTables()
    {
        const PostfixExportResult r = PostfixExport::build(sample(), 1, u"/etc/postfix/mailroute/"_s);
        QCOMPARE(
            mainCfValue(r, u"recipient_canonical_maps"_s),
            u"hash:/etc/postfix/mailroute/recipient_canonical, regexp:/etc/postfix/mailroute/recipient_canonical.regexp"_s);
        // Outbound rules only in the second pass, which only allow-listed clients' mail takes.
        QCOMPARE(mainCfValue(r, u"sender_canonical_maps"_s), QString());
        QCOMPARE(
            mainCfValue(r, u"mailroute_sender_canonical_maps"_s),
            u"hash:/etc/postfix/mailroute/sender_canonical, regexp:/etc/postfix/mailroute/sender_canonical.regexp"_s);
        QCOMPARE(mainCfValue(r, u"smtpd_data_restrictions"_s),
                 u"check_client_access cidr:/etc/postfix/mailroute/outbound_clients"_s);
        const QString master = text(r, u"master.cf.fragment"_s);
        QVERIFY(master.contains(u"\nmailroute-outbound unix "_s));
        QVERIFY(master.contains(u"\n127.0.0.1:10026 inet "_s));
        QVERIFY(master.contains(u"  -o cleanup_service_name=mailroute-senders\n"_s));
        QVERIFY(master.contains(u"\nmailroute-senders unix "_s));
        QVERIFY(master.contains(
            u"  -o recipient_canonical_maps=\n  -o sender_canonical_maps=$mailroute_sender_canonical_maps\n"_s));
        QVERIFY(master.contains(u"  -o hopcount_limit=$mailroute_pass2_hopcount_limit\n"_s));
        // rewrite.recipient_headers unsigned (the default) has no Postfix form:
        // exported as To:/Cc: rewriting off, which keeps DKIM signatures valid, and said so.
        QCOMPARE(mainCfValue(r, u"recipient_canonical_classes"_s), u"envelope_recipient"_s);
        QVERIFY(r.warnings.join(u'\n').contains(u"rewrite.recipient_headers unsigned cannot be expressed"_s));
        QCOMPARE(mainCfValue(r, u"sender_canonical_classes"_s), u"envelope_sender, header_sender"_s);
        QCOMPARE(mainCfValue(r, u"canonical_maps"_s), QString());
        QCOMPARE(mainCfValue(r, u"remote_header_rewrite_domain"_s), u"domain.invalid"_s);
        {
            ConfigData always = sample();
            always.settings.insert(u"rewrite.recipient_headers"_s, u"always"_s);
            const PostfixExportResult a = PostfixExport::build(always, 1, u"/x"_s);
            QCOMPARE(mainCfValue(a, u"recipient_canonical_classes"_s),
                     u"envelope_recipient, header_recipient"_s);
            QVERIFY(!a.warnings.join(u'\n').contains(u"rewrite.recipient_headers"_s));
            // Sender headers off alone: recipient headers are still rewritten, for every client.
            always.settings.insert(u"rewrite.sender_headers"_s, u"no"_s);
            const PostfixExportResult s = PostfixExport::build(always, 1, u"/x"_s);
            QCOMPARE(mainCfValue(s, u"recipient_canonical_classes"_s),
                     u"envelope_recipient, header_recipient"_s);
            QCOMPARE(mainCfValue(s, u"sender_canonical_classes"_s), u"envelope_sender"_s);
            QCOMPARE(mainCfValue(s, u"remote_header_rewrite_domain"_s), u"domain.invalid"_s);
        }
        QCOMPARE(mainCfValue(r, u"relay_recipient_maps"_s), u"$recipient_canonical_maps"_s);
        // Allow-listed clients relay only for outbound.allowed_senders (and <>); claimed
        // recipients stay open to them as to every client.
        QCOMPARE(
            mainCfValue(r, u"smtpd_relay_restrictions"_s),
            u"check_client_access cidr:/etc/postfix/mailroute/allowed_sender_clients, permit_mynetworks, "
            "reject_unlisted_recipient, reject_unauth_destination"_s);
        QCOMPARE(mainCfValue(r, u"smtpd_restriction_classes"_s), u"mailroute_allowed_senders"_s);
        QCOMPARE(
            mainCfValue(r, u"mailroute_allowed_senders"_s),
            u"check_sender_access hash:/etc/postfix/mailroute/allowed_senders, reject_unlisted_recipient, "
            "permit_auth_destination, check_sender_access "
            "regexp:/etc/postfix/mailroute/allowed_senders_refusal.regexp"_s);
        // Derived from the Outbound rules (both sides), exact domains only.
        QCOMPARE(entries(r, u"allowed_senders"_s),
                 QStringList({u"<> OK"_s, u"drypizza.com OK"_s, u"warmsushi.com OK"_s}));
        QVERIFY(text(r, u"postmap.sh"_s).contains(u"postmap hash:allowed_senders\n"_s));
        QCOMPARE(entries(r, u"allowed_senders_refusal.regexp"_s),
                 QStringList({u"/^/ 550 5.7.1 sender domain not in outbound.allowed_senders"_s}));
        QVERIFY(!mainCfValue(r, u"parent_domain_matches_subdomains"_s).contains(u"smtpd_access_maps"_s));
        QCOMPARE(mainCfValue(r, u"message_size_limit"_s), u"36700160"_s);
        QCOMPARE(mainCfValue(r, u"smtpd_recipient_limit"_s), u"100"_s);
        // Postfix counts its own Received: and refuses at the limit (relay.max_hops 50: 51 are refused).
        QCOMPARE(mainCfValue(r, u"hopcount_limit"_s), u"52"_s);
        QCOMPARE(mainCfValue(r, u"mailroute_pass2_hopcount_limit"_s), u"53"_s);
        QCOMPARE(mainCfValue(r, u"relayhost"_s), QString());
        QCOMPARE(mainCfValue(r, u"recipient_delimiter"_s), QString());
        QVERIFY(!mainCfValue(r, u"parent_domain_matches_subdomains"_s).contains(u"relay_domains"_s));

        ConfigData c = sample();
        c.settings.insert(u"rewrite.recipient_headers"_s, u"never"_s);
        c.settings.insert(u"rewrite.sender_headers"_s, u"no"_s);
        c.settings.insert(u"limits.message_size"_s, u"1048576"_s);
        c.settings.insert(u"limits.recipients"_s, u"5"_s);
        const PostfixExportResult off = PostfixExport::build(c, 2, u"/x"_s);
        QCOMPARE(mainCfValue(off, u"recipient_canonical_classes"_s), u"envelope_recipient"_s);
        QCOMPARE(mainCfValue(off, u"sender_canonical_classes"_s), u"envelope_sender"_s);
        // No header rewriting at all: not even Postfix's completion of
        // incomplete header addresses from remote clients.
        QCOMPARE(mainCfValue(off, u"remote_header_rewrite_domain"_s), QString());
        QVERIFY(!off.file(u"main.cf.fragment"_s)->content.contains("local_header_rewrite_clients"));
        QCOMPARE(mainCfValue(off, u"message_size_limit"_s), u"1048576"_s);
        QCOMPARE(mainCfValue(off, u"smtpd_recipient_limit"_s), u"5"_s);
    }

    void quotingOfSpecialCharacters()
    {
        ConfigData c;
        c.area(Area::Inbound).users = {{u"\"john doe\"@warmsushi.com"_s, u"jd@drypizza.com"_s},
                                       {u"#team@warmsushi.com"_s, u"a$b@drypizza.com"_s},
                                       {u"a+b.c@warmsushi.com"_s, u"x$y@drypizza.com"_s},
                                       {u"o'brien@warmsushi.com"_s, u"\"o brien\"@drypizza.com"_s}};
        const PostfixExportResult r = PostfixExport::build(c, 1, u"/x"_s);
        // hash: keys are whitespace-free and may not start a comment; values are
        // the rest of the line and are not interpolated.
        QCOMPARE(entries(r, u"recipient_canonical"_s),
                 QStringList({u"a+b.c@warmsushi.com x$y@drypizza.com"_s,
                              u"o'brien@warmsushi.com \"o brien\"@drypizza.com"_s}));
        // The others as anchored, escaped regular expressions; '$' in a result doubled.
        QCOMPARE(entries(r, u"recipient_canonical.regexp"_s),
                 QStringList({u"/^\"john doe\"@warmsushi\\.com$/ jd@drypizza.com"_s,
                              u"/^#team@warmsushi\\.com$/ a$$b@drypizza.com"_s}));
        QCOMPARE(r.recipientRules, 4);
        // Their domain is still a relay domain.
        QCOMPARE(entries(r, u"relay_domains"_s), QStringList({u"warmsushi.com OK"_s}));
    }

    void emptyAreas()
    {
        const PostfixExportResult r = PostfixExport::build(ConfigData{}, 3, u"/x"_s);
        for (const QString &name :
             {u"recipient_canonical"_s, u"recipient_canonical.regexp"_s, u"sender_canonical"_s,
              u"sender_canonical.regexp"_s, u"relay_domains"_s, u"transport"_s}) {
            QVERIFY2(r.file(name), qPrintable(name));
            QVERIFY2(entries(r, name).isEmpty(), qPrintable(name));
            QVERIFY(text(r, name).contains(u"generation 3"_s));
        }
        QCOMPARE(r.recipientRules, 0);
        QCOMPARE(r.senderRules, 0);
        QVERIFY(r.warnings.isEmpty());
        // Only this host may relay anywhere; nobody else to anything.
        QCOMPARE(entries(r, u"mynetworks"_s), QStringList({u"127.0.0.1/32"_s, u"[::1]/128"_s}));
        QVERIFY(entries(r, u"outbound_clients"_s).isEmpty());
        QVERIFY(!r.file(u"sasl_passwd.example"_s));
        QVERIFY(text(r, u"postmap.sh"_s).contains(u"postmap hash:transport\n"_s));
    }

    void idnAndMixedCase()
    {
        ConfigData c;
        c.area(Area::Inbound).domains = {{u"xn--bcher-kva.example"_s, u"drypizza.com"_s}};
        c.area(Area::Inbound).users = {{u"Anna.Maria@xn--bcher-kva.example"_s, u"Anna@DryPizza.com"_s}};
        c.routes = {route(u"xn--bcher-kva.example"_s, u"mx.drypizza.com:2525"_s)};
        const PostfixExportResult r = PostfixExport::build(c, 1, u"/x"_s);
        // Keys keep the stored spelling (postmap folds case); results keep the
        // target's spelling (docs/behaviour.md "Areas and mappings"). Both the
        // ACE and the Unicode domain.
        QCOMPARE(
            entries(r, u"recipient_canonical"_s),
            QStringList({u"Anna.Maria@xn--bcher-kva.example Anna@DryPizza.com"_s,
                         u"Anna.Maria@bücher.example Anna@DryPizza.com"_s,
                         u"@xn--bcher-kva.example @drypizza.com"_s, u"@bücher.example @drypizza.com"_s}));
        QCOMPARE(entries(r, u"relay_domains"_s),
                 QStringList({u"bücher.example OK"_s, u"xn--bcher-kva.example OK"_s}));
        QCOMPARE(entries(r, u"transport"_s),
                 QStringList({u"xn--bcher-kva.example smtp:mx.drypizza.com:2525"_s,
                              u"bücher.example smtp:mx.drypizza.com:2525"_s}));
        QCOMPARE(r.recipientRules, 4);
        QVERIFY(r.file(u"recipient_canonical"_s)
                    ->content.contains("b\xc3\xbc"
                                       "cher")); // UTF-8
    }

    void chainsAreNamed()
    {
        ConfigData c;
        c.area(Area::Inbound).users = {{u"a@one.example"_s, u"b@two.example"_s},
                                       {u"b@two.example"_s, u"c@three.example"_s},
                                       {u"same@one.example"_s, u"SAME@one.example"_s}};
        // Inbound's result domain has a Relay rule: one map in Postfix, so a chain there.
        c.area(Area::Inbound).domains = {{u"four.example"_s, u"five.example"_s}};
        c.area(Area::Relay).domains = {{u"five.example"_s, u"six.example"_s}};
        c.settings.insert(u"rewrite.recipient_headers"_s, u"always"_s); // no warning about unsigned here
        const PostfixExportResult r = PostfixExport::build(c, 1, u"/x"_s);
        const QString w = r.warnings.join(u'\n');
        QVERIFY2(
            w.contains(u"a@one.example -> b@two.example is followed by b@two.example -> c@three.example"_s),
            qPrintable(w));
        QVERIFY2(w.contains(u"@four.example -> @five.example is followed by @five.example -> @six.example"_s),
                 qPrintable(w));
        QVERIFY2(!w.contains(u"same@one.example"_s), qPrintable(w)); // maps to itself: Postfix stops
        QCOMPARE(r.warnings.size(), 2);

        // A domain rule whose result a user rule of the target domain maps again.
        ConfigData toUsers;
        toUsers.area(Area::Relay).domains = {{u"a.example"_s, u"b.example"_s}};
        toUsers.area(Area::Inbound).users = {{u"x@b.example"_s, u"y@c.example"_s}};
        toUsers.settings.insert(u"rewrite.recipient_headers"_s, u"never"_s);
        const PostfixExportResult u = PostfixExport::build(toUsers, 1, u"/x"_s);
        QCOMPARE(u.warnings,
                 QStringList(
                     {u"recipient_canonical: @a.example -> @b.example is followed by x@b.example -> "
                      u"y@c.example for x@a.example in Postfix (canonical maps are recursive; MailRoute maps "
                      u"a result once)"_s}));

        ConfigData cleanConfig = sample();
        cleanConfig.settings.insert(u"rewrite.recipient_headers"_s, u"never"_s);
        const PostfixExportResult clean = PostfixExport::build(cleanConfig, 1, u"/x"_s);
        QCOMPARE(clean.warnings.size(), 1); // only the Relay rule Inbound shadows
    }

    void nextHopsAndNetworks()
    {
        ConfigData c;
        c.routes = {route(u"partner.example"_s, u"192.0.2.9:2525"_s),
                    route(u"b.example"_s, u"[mx.b.example]:587"_s),
                    route(u"a.example"_s, u"[2001:db8::1]:25"_s)};
        c.routes[1].tls = TlsPolicy::Verify;
        c.settings.insert(u"delivery.tls_policy"_s, u"encrypt"_s);
        c.settings.insert(u"delivery.smarthost"_s, u"192.0.2.1"_s);
        c.settings.insert(u"outbound.allowed_clients"_s, u"10.0.0.0/8, 2001:db8::/32, 192.0.2.7/32"_s);
        const PostfixExportResult r = PostfixExport::build(c, 1, u"/x"_s);
        // Postfix would look up MX records for a bare IP address: brackets.
        QCOMPARE(entries(r, u"transport"_s),
                 QStringList({u"a.example smtp:[2001:db8::1]:25"_s, u"b.example smtp:[mx.b.example]:587"_s,
                              u"partner.example smtp:[192.0.2.9]:2525"_s}));
        QCOMPARE(mainCfValue(r, u"relayhost"_s), u"[192.0.2.1]"_s);
        // TLS: the default policy, then per next hop as Postfix keys it (TLS_README).
        QCOMPARE(mainCfValue(r, u"smtp_tls_security_level"_s), u"encrypt"_s);
        QCOMPARE(mainCfValue(r, u"smtp_tls_policy_maps"_s), u"hash:/x/tls_policy"_s);
        QCOMPARE(entries(r, u"tls_policy"_s),
                 QStringList({u"[192.0.2.1] may"_s, u"[mx.b.example]:587 verify"_s}));
        QVERIFY(text(r, u"postmap.sh"_s).contains(u"postmap hash:tls_policy\n"_s));
        QCOMPARE(entries(r, u"mynetworks"_s), QStringList({u"127.0.0.1/32"_s, u"[::1]/128"_s, u"10.0.0.0/8"_s,
                                                           u"[2001:db8::]/32"_s, u"192.0.2.7/32"_s}));
        QCOMPARE(entries(r, u"allowed_sender_clients"_s),
                 QStringList({u"10.0.0.0/8 mailroute_allowed_senders"_s,
                              u"2001:db8::/32 mailroute_allowed_senders"_s,
                              u"192.0.2.7/32 mailroute_allowed_senders"_s}));
        // The setting replaces the derived list; IDN in both forms, as every table.
        c.settings.insert(u"outbound.allowed_senders"_s, u"xn--bcher-kva.example, other.example"_s);
        QCOMPARE(entries(PostfixExport::build(c, 1, u"/x"_s), u"allowed_senders"_s),
                 QStringList({u"<> OK"_s, u"other.example OK"_s, u"xn--bcher-kva.example OK"_s,
                              u"b\u00fccher.example OK"_s}));
        // Only the allow-listed clients (not this host) take the sender pass.
        QCOMPARE(entries(r, u"outbound_clients"_s),
                 QStringList({u"10.0.0.0/8 FILTER mailroute-outbound:[127.0.0.1]:10026"_s,
                              u"2001:db8::/32 FILTER mailroute-outbound:[127.0.0.1]:10026"_s,
                              u"192.0.2.7/32 FILTER mailroute-outbound:[127.0.0.1]:10026"_s}));
    }

    void noSecretsOnlyAPlaceholder()
    {
        ConfigData c;
        c.settings.insert(u"delivery.smarthost"_s, u"[smtp.example.net]:587"_s);
        c.settings.insert(u"smarthost.username"_s, u"relay-user"_s);
        const PostfixExportResult r = PostfixExport::build(c, 1, u"/etc/pm"_s);
        QVERIFY(!r.file(u"sasl_passwd"_s));
        QCOMPARE(entries(r, u"sasl_passwd.example"_s),
                 QStringList({u"[smtp.example.net]:587 relay-user:PASSWORD-FROM-YOUR-KEYCHAIN"_s}));
        QCOMPARE(mainCfValue(r, u"smtp_sasl_password_maps"_s), u"hash:/etc/pm/sasl_passwd"_s);
        QCOMPARE(mainCfValue(r, u"smtp_sasl_auth_enable"_s), u"yes"_s);
        // AUTH PLAIN/LOGIN only inside TLS, as MailRoute sends it.
        QCOMPARE(mainCfValue(r, u"smtp_sasl_security_options"_s), u"noanonymous, noplaintext"_s);
        QCOMPARE(mainCfValue(r, u"smtp_sasl_tls_security_options"_s), u"noanonymous"_s);
    }

    void dkimTablesNameTheKeysAndNeverCopyThem()
    {
        QTemporaryDir tmp;
        QVERIFY(tmp.isValid());
        const QString secretFile = tmp.filePath(u"example.com.mr20261206.pem"_s);
        {
            QFile f(secretFile);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write("-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEIJ+secret+bytes\n-----END PRIVATE "
                    "KEY-----\n");
        }
        ConfigData c;
        auto key = [&](const QString &domain, const QString &selector, DkimKeyState state) {
            DkimKey k;
            k.domain = domain;
            k.selector = selector;
            k.state = state;
            k.keyFile = state == DkimKeyState::Active && domain == u"example.com"_s
                            ? secretFile
                            : u"/var/lib/mailroute/dkim/%1.%2.pem"_s.arg(domain, selector);
            k.publicKey = u"MIIB"_s;
            return k;
        };
        c.dkimKeys = {key(u"example.com"_s, u"mr20261101"_s, DkimKeyState::Retired),
                      key(u"example.com"_s, u"mr20261206"_s, DkimKeyState::Active),
                      key(u"example.com"_s, u"mr20261207"_s, DkimKeyState::Pending),
                      key(u"b.example"_s, u"s1"_s, DkimKeyState::Active)};
        const PostfixExportResult r = PostfixExport::build(c, 4, u"/etc/pm"_s);
        // Only the keys that sign; pending and retired keys never do.
        QCOMPARE(
            entries(r, u"KeyTable"_s),
            QStringList(
                {u"b.example.s1 b.example:s1:/etc/pm/dkim/b.example.s1.pem"_s,
                 u"example.com.mr20261206 example.com:mr20261206:/etc/pm/dkim/example.com.mr20261206.pem"_s}));
        QCOMPARE(entries(r, u"SigningTable"_s),
                 QStringList({u"*@b.example b.example.s1"_s, u"*@example.com example.com.mr20261206"_s}));
        QVERIFY(!r.file(u"KeyTable"_s)->postmap);
        const QString mainCf = text(r, u"main.cf.fragment"_s);
        QVERIFY2(mainCf.contains(u"Postfix itself\n# cannot sign"_s), qPrintable(mainCf));
        QVERIFY(mainCf.contains(u"#   SigningTable  refile:/etc/pm/SigningTable\n"_s));
        QVERIFY(mainCf.contains(u"#   %1 -> /etc/pm/dkim/example.com.mr20261206.pem\n"_s.arg(secretFile)));
        QVERIFY(mainCf.contains(u"mode 0600"_s));
        QVERIFY(mainCf.contains(
            u"\n#smtpd_milters = inet:127.0.0.1:8891\n#non_smtpd_milters = $smtpd_milters\n"_s));
        // Commented out: Postfix would refuse mail if no milter listened.
        QCOMPARE(mainCfValue(r, u"smtpd_milters"_s), u"<unset>"_s);
        QCOMPARE(mainCfValue(r, u"non_smtpd_milters"_s), u"<unset>"_s);

        // Written out: no private key in any file, no key file copied.
        const QString dir = tmp.filePath(u"export"_s);
        const PostfixExportResult written = PostfixExport::build(c, 4, dir);
        QVERIFY(PostfixExport::write(written, dir).ok());
        const QStringList files = QDir(dir).entryList(QDir::Files | QDir::Dirs | QDir::NoDotAndDotDot);
        QVERIFY(files.contains(u"KeyTable"_s));
        QVERIFY(!files.contains(u"dkim"_s));
        for (const QString &name : files) {
            QFile f(QDir(dir).filePath(name));
            QVERIFY(f.open(QIODevice::ReadOnly));
            const QByteArray content = f.readAll();
            QVERIFY2(!content.contains("PRIVATE KEY") && !content.contains("secret+bytes"), qPrintable(name));
        }
    }

    // Issue 18: recipient verification as reject_unverified_recipient with
    // MailRoute's cache times; allow-listed clients and exclusions first.
    void recipientVerificationIsExported()
    {
        ConfigData c = sample();
        c.settings.insert(u"verify.positive_ttl"_s, u"86400"_s);
        c.settings.insert(u"verify.negative_ttl"_s, u"600"_s);
        c.settings.insert(u"verify.exclude_domains"_s, u"acme.example, old.example"_s);
        const PostfixExportResult r = PostfixExport::build(c, 1, u"/etc/pm"_s);
        QCOMPARE(
            mainCfValue(r, u"smtpd_recipient_restrictions"_s),
            u"permit_mynetworks, reject_unauth_destination, check_recipient_access inline:{ acme.example=OK, "
            u"old.example=OK }, reject_unverified_recipient"_s);
        QCOMPARE(mainCfValue(r, u"address_verify_positive_expire_time"_s), u"86400s"_s);
        QCOMPARE(mainCfValue(r, u"address_verify_positive_refresh_time"_s), u"43200s"_s);
        QCOMPARE(mainCfValue(r, u"address_verify_negative_expire_time"_s), u"600s"_s);
        QCOMPARE(mainCfValue(r, u"address_verify_sender"_s), u"<>"_s);
        QCOMPARE(mainCfValue(r, u"unverified_recipient_reject_code"_s), u"550"_s);
        QCOMPARE(mainCfValue(r, u"unverified_recipient_defer_code"_s), u"450"_s);
        // Defaults: 7 days and 3 hours, as the relay.
        const PostfixExportResult d = PostfixExport::build(sample(), 1, u"/etc/pm"_s);
        QCOMPARE(mainCfValue(d, u"address_verify_positive_expire_time"_s), u"604800s"_s);
        QCOMPARE(mainCfValue(d, u"address_verify_negative_expire_time"_s), u"10800s"_s);
        QCOMPARE(mainCfValue(d, u"smtpd_recipient_restrictions"_s),
                 u"permit_mynetworks, reject_unauth_destination, reject_unverified_recipient"_s);
        c.settings.insert(u"verify.recipients"_s, u"off"_s);
        const PostfixExportResult off = PostfixExport::build(c, 1, u"/etc/pm"_s);
        QCOMPARE(mainCfValue(off, u"smtpd_recipient_restrictions"_s), u"<unset>"_s);
        QVERIFY(!text(off, u"main.cf.fragment"_s).contains(u"reject_unverified_recipient"_s));
    }

    void noDkimKeysNothingToSign()
    {
        const PostfixExportResult r = PostfixExport::build(sample(), 1, u"/etc/pm"_s);
        QCOMPARE(entries(r, u"KeyTable"_s), QStringList());
        QCOMPARE(entries(r, u"SigningTable"_s), QStringList());
        QVERIFY(text(r, u"main.cf.fragment"_s).contains(u"no active DKIM key: nothing to sign"_s));
    }

    void writesAtomicallyAndRefusesBadDirectories()
    {
        QTemporaryDir tmp;
        QVERIFY(tmp.isValid());
        const QString dir = tmp.filePath(u"out/postfix"_s);
        const PostfixExportResult r = PostfixExport::build(sample(), 1, dir);
        QVERIFY(PostfixExport::write(r, dir).ok());
        QStringList names;
        for (const ExportedFile &f : r.files)
            names << f.name;
        names.sort();
        QCOMPARE(QDir(dir).entryList(QDir::Files | QDir::Hidden, QDir::Name), names); // no temporary left
        QFile rc(QDir(dir).filePath(u"recipient_canonical"_s));
        QVERIFY(rc.open(QIODevice::ReadOnly));
        QCOMPARE(rc.readAll(), r.file(u"recipient_canonical"_s)->content);
        QVERIFY(QFileInfo(QDir(dir).filePath(u"postmap.sh"_s)).isExecutable());

        // A second export replaces the files.
        const PostfixExportResult empty = PostfixExport::build(ConfigData{}, 2, dir);
        QVERIFY(PostfixExport::write(empty, dir).ok());
        QFile again(QDir(dir).filePath(u"recipient_canonical"_s));
        QVERIFY(again.open(QIODevice::ReadOnly));
        QCOMPARE(again.readAll(), empty.file(u"recipient_canonical"_s)->content);

        // A file where the directory should be: refused, nothing written.
        const QString file = tmp.filePath(u"plainfile"_s);
        QFile f(file);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.close();
        const Status notDir = PostfixExport::write(r, file);
        QVERIFY(!notDir.ok());
        QVERIFY2(notDir.error.contains(u"not a directory"_s), qPrintable(notDir.error));
        const Status under = PostfixExport::write(r, file + u"/sub"_s);
        QVERIFY(!under.ok());
        QVERIFY2(under.error.contains(u"cannot create"_s), qPrintable(under.error));
    }

    void exportNeedsAPushedGeneration()
    {
        QTemporaryDir tmp;
        ConfigStore store(tmp.filePath(u"mailroute.db"_s));
        QVERIFY(store.open().ok());
        QVERIFY(store.addDomainMapping(Area::Inbound, u"@WarmSushi.com"_s, u"@drypizza.com"_s).ok());
        const QString dir = tmp.filePath(u"out"_s);
        const auto refused = PostfixExport::exportActiveGeneration(store, dir);
        QVERIFY(!refused.ok());
        QVERIFY2(refused.error.contains(u"nothing has been pushed"_s), qPrintable(refused.error));
        QVERIFY(!QFileInfo::exists(dir));

        QVERIFY(store.push().ok());
        // A folder whose path cannot stand in main.cf: refused, nothing written.
        for (const QString &bad : {u"out dir"_s, u"out,dir"_s, u"out$dir"_s, u"out#dir"_s}) {
            const auto unsafe = PostfixExport::exportActiveGeneration(store, tmp.filePath(bad));
            QVERIFY(!unsafe.ok());
            QVERIFY2(unsafe.error.contains(u"cannot stand in a Postfix table path"_s),
                     qPrintable(unsafe.error));
            QVERIFY(!QFileInfo::exists(tmp.filePath(bad)));
        }
        // The draft changes after the push; the export is the pushed generation.
        QVERIFY(store.addDomainMapping(Area::Inbound, u"@draft.example"_s, u"@drypizza.com"_s).ok());
        const auto done = PostfixExport::exportActiveGeneration(store, dir);
        QVERIFY2(done.ok(), qPrintable(done.error));
        QCOMPARE(done->generation, 1);
        QCOMPARE(entries(*done, u"recipient_canonical"_s), QStringList({u"@warmsushi.com @drypizza.com"_s}));
        QVERIFY(QFileInfo::exists(QDir(dir).filePath(u"main.cf.fragment"_s)));
    }
};

QTEST_GUILESS_MAIN(TestPostfixExport)
#include "tst_postfixexport.moc"
