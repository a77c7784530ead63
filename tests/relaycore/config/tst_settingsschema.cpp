// Tests for SettingsSchema: the table of keys, each type's parser (good input
// and its canonical text, bad input and its reason), unknown keys.
#include "relaycore/config/settingsschema.h"
#include "relaycore/routing/settingkeys.h"

#include <QTest>

using namespace mailroute;

Q_DECLARE_METATYPE(mailroute::SettingType)

class TestSettingsSchema : public QObject
{
    Q_OBJECT

private slots:
    void knownKeys_data();
    void knownKeys();
    void everyDefaultValidates();
    void descriptionsAreSentences();
    void everyKeyHasItsName();
    void goodValue_data();
    void goodValue();
    void badValue_data();
    void badValue();
    void unknownKey_data();
    void unknownKey();
    void controlCharacters_data();
    void controlCharacters();
    void typedReaders();
};

void TestSettingsSchema::knownKeys_data()
{
    QTest::addColumn<QString>("key");
    QTest::addColumn<SettingType>("type");
    QTest::addColumn<QString>("defaultValue");
    QTest::addColumn<qint64>("min");
    QTest::addColumn<qint64>("max");

    using T = SettingType;
    auto row = [](const char *key, T type, const char *def, qint64 min = 0, qint64 max = 0) {
        QTest::newRow(key) << QString::fromLatin1(key) << type << QString::fromLatin1(def) << min << max;
    };
    row("relay.hostname", T::Hostname, "");
    row("relay.listen", T::HostPort, "0.0.0.0:25");
    row("relay.postmaster", T::Email, "");
    row("relay.max_hops", T::Integer, "50", 1, 1000);
    row("rewrite.recipient_headers", T::String, "unsigned");
    row("rewrite.sender_headers", T::String, "yes");
    row("outbound.allowed_clients", T::CidrList, "");
    row("outbound.allowed_senders", T::DomainList, "");
    row("delivery.smarthost", T::HostPort, "");
    row("delivery.concurrency_per_destination", T::Integer, "10", 1, 100);
    row("retry.schedule", T::DurationList, "5m,20m,60m", 1, 30 * 86400);
    row("retry.min_backoff", T::Duration, "60", 1, 86400);
    row("retry.delay_warning", T::Duration, "0", 0, 30 * 86400);
    row("retry.hold_max", T::Duration, "432000", 3600, 365 * 86400);
    row("log.retention_days", T::Integer, "30", 0, 36500);
    row("limits.message_size", T::Size, "36700160", 1, 2147483648);
    row("limits.recipients", T::Integer, "100", 1, 100000);
    row("limits.command_line", T::Integer, "512", 512, 65536);
    row("limits.text_line", T::Integer, "1000", 1000, 1048576);
    row("limits.sessions", T::Integer, "200", 1, 100000);
    row("limits.sessions_per_ip", T::Integer, "20", 1, 100000);
    row("limits.command_timeout", T::Duration, "300", 1, 86400);
    row("limits.data_timeout", T::Duration, "600", 1, 86400);
    row("limits.errors", T::Integer, "20", 1, 1000);
    row("limits.junk_commands", T::Integer, "100", 1, 100000);
    row("tls.certificate", T::Path, "");
    row("tls.key", T::Path, "");
    row("tls.required_before_mail", T::String, "no");
    row("smarthost.username", T::String, "");
}

void TestSettingsSchema::knownKeys()
{
    QFETCH(QString, key);
    QFETCH(SettingType, type);
    QFETCH(QString, defaultValue);
    QFETCH(qint64, min);
    QFETCH(qint64, max);

    const SettingDef *def = SettingsSchema::find(key);
    QVERIFY(def);
    QCOMPARE(def->key, key);
    QVERIFY(def->type == type);
    QCOMPARE(def->defaultValue, defaultValue);
    QCOMPARE(def->min, min);
    QCOMPARE(def->max, max);
}

void TestSettingsSchema::everyDefaultValidates()
{
    QCOMPARE(
        SettingsSchema::all().size(),
        45); // + 6 verify settings (issue 18), waves.probe_rate (issue 15), limits.junk_commands (issue 16)
    // relay.confirmations (issue 11): a fixed vocabulary; relay.stop_timeout a duration.
    QCOMPARE(*SettingsSchema::validate(QStringLiteral("relay.confirmations"), QStringLiteral("OFF")),
             QStringLiteral("off"));
    QVERIFY(!SettingsSchema::validate(QStringLiteral("relay.confirmations"), QStringLiteral("yes")).ok());
    QCOMPARE(*SettingsSchema::validate(QStringLiteral("relay.stop_timeout"), QStringLiteral("1m")),
             QStringLiteral("60"));
    QStringList keys;
    for (const SettingDef &def : SettingsSchema::all()) {
        const Result<QString> r = SettingsSchema::validate(def.key, def.defaultValue);
        QVERIFY2(r.ok(), qPrintable(def.key + QStringLiteral(": ") + r.error));
        QCOMPARE(*r, def.defaultValue);
        QVERIFY2(!keys.contains(def.key), qPrintable(def.key));
        keys.append(def.key);
    }
    QVERIFY(!SettingsSchema::find(QStringLiteral("smarthost.password")));
}

void TestSettingsSchema::descriptionsAreSentences()
{
    for (const SettingDef &def : SettingsSchema::all()) {
        QVERIFY2(def.description.size() > 20, qPrintable(def.key));
        QVERIFY2(def.description.front().isUpper(), qPrintable(def.key));
        QVERIFY2(def.description.endsWith(QLatin1Char('.')), qPrintable(def.key));
    }
}

// The code names keys through SettingKey (relaycore/routing/settingkeys.h):
// the table defines exactly the keys named there, in the same order, and a
// name spells the key an administrator types.
void TestSettingsSchema::everyKeyHasItsName()
{
    QStringList tableKeys;
    for (const SettingDef &def : SettingsSchema::all())
        tableKeys.append(def.key);
    QCOMPARE(SettingKey::all(), tableKeys);
    QCOMPARE(SettingKey::limitsErrors(), QStringLiteral("limits.errors"));
    QCOMPARE(SettingKey::relayHostname(), QStringLiteral("relay.hostname"));
    QCOMPARE(SettingKey::deliveryConcurrencyPerDestination(),
             QStringLiteral("delivery.concurrency_per_destination"));
    QCOMPARE(SettingKey::outboundAllowedSenders(), QStringLiteral("outbound.allowed_senders"));
    QCOMPARE(SettingKey::wavesProbeRate(), QStringLiteral("waves.probe_rate"));
    // A name works where the code looks settings up: a map keyed by QString.
    const QMap<QString, QString> settings{
        {QStringLiteral("tls.key"), QStringLiteral("/etc/mailroute/key.pem")}};
    QCOMPARE(settings.value(SettingKey::tlsKey()), QStringLiteral("/etc/mailroute/key.pem"));
    QVERIFY(!settings.contains(SettingKey::tlsCertificate()));
}

void TestSettingsSchema::goodValue_data()
{
    QTest::addColumn<QString>("key");
    QTest::addColumn<QString>("value");
    QTest::addColumn<QString>("canonical");

    auto row = [](const char *name, const char *key, const QString &value, const char *canonical) {
        QTest::newRow(name) << QString::fromLatin1(key) << value << QString::fromUtf8(canonical);
    };
    auto s = [](const char *text) { return QString::fromUtf8(text); };

    // Hostname
    row("hostname", "relay.hostname", s("relay.drypizza.com"), "relay.drypizza.com");
    row("hostname folded", "relay.hostname", s("Relay.DryPizza.COM."), "relay.drypizza.com");
    row("hostname IDN", "relay.hostname", s("mx.bücher.example"), "mx.xn--bcher-kva.example");
    row("hostname empty", "relay.hostname", s(""), "");
    row("hostname trimmed", "relay.hostname", s("  relay.drypizza.com "), "relay.drypizza.com");
    // Email
    row("email", "relay.postmaster", s("admin@drypizza.com"), "admin@drypizza.com");
    row("email domain folded", "relay.postmaster", s("Admin@DryPizza.com"), "Admin@drypizza.com");
    row("email empty", "relay.postmaster", s(""), "");
    // Header rewriting choices (stored in lower case)
    row("recipient headers unsigned", "rewrite.recipient_headers", s("unsigned"), "unsigned");
    row("recipient headers always", "rewrite.recipient_headers", s(" ALWAYS "), "always");
    row("recipient headers never", "rewrite.recipient_headers", s("Never"), "never");
    row("sender headers yes", "rewrite.sender_headers", s("Yes"), "yes");
    row("sender headers no", "rewrite.sender_headers", s("no"), "no");
    // Integer
    row("integer", "limits.recipients", s("500"), "500");
    row("integer min", "limits.recipients", s("1"), "1");
    row("integer max", "limits.recipients", s("100000"), "100000");
    row("integer leading zeros", "limits.recipients", s("0050"), "50");
    row("command line min", "limits.command_line", s("512"), "512");
    row("text line max", "limits.text_line", s("1048576"), "1048576");
    // Size
    row("size bytes", "limits.message_size", s("1000000"), "1000000");
    row("size M", "limits.message_size", s("35M"), "36700160");
    row("size MiB", "limits.message_size", s("35MiB"), "36700160");
    row("size MB", "limits.message_size", s("35 MB"), "36700160");
    row("size k", "limits.message_size", s("512k"), "524288");
    row("size G", "limits.message_size", s("2G"), "2147483648");
    row("size B", "limits.message_size", s("100b"), "100");
    // Duration
    row("duration bare", "limits.command_timeout", s("300"), "300");
    row("duration s", "limits.command_timeout", s("300s"), "300");
    row("duration m", "limits.command_timeout", s("5m"), "300");
    row("duration h", "limits.data_timeout", s("1h"), "3600");
    row("duration d", "limits.data_timeout", s("1d"), "86400");
    row("duration upper", "limits.data_timeout", s("10M"), "600");
    // DurationList keeps units
    row("schedule", "retry.schedule", s("5m,20m,60m"), "5m,20m,60m");
    row("schedule spaced", "retry.schedule", s(" 5m , 20m,1h "), "5m,20m,1h");
    row("schedule mixed units", "retry.schedule", s("05m,3600,2H,2d"), "5m,3600,2h,2d");
    row("schedule one", "retry.schedule", s("30m"), "30m");
    row("delay warning off", "retry.delay_warning", s("0"), "0");
    row("delay warning 4h", "retry.delay_warning", s("4h"), "14400");
    row("hold max 5 days", "retry.hold_max", s("5d"), "432000");
    row("retention forever", "log.retention_days", s("0"), "0");
    // HostPort
    row("listen ipv4", "relay.listen", s("0.0.0.0:25"), "0.0.0.0:25");
    row("listen ipv4 no port", "relay.listen", s("127.0.0.1"), "127.0.0.1");
    row("listen ipv6", "relay.listen", s("[::]:2525"), "[::]:2525");
    row("listen ipv6 compressed", "relay.listen", s("[2001:DB8:0:0::1]:25"), "[2001:db8::1]:25");
    row("listen ipv6 no port", "relay.listen", s("[::1]"), "[::1]");
    row("listen localhost", "relay.listen", s("localhost:2525"), "localhost:2525");
    row("smarthost name", "delivery.smarthost", s("Smtp.Office365.com:587"), "smtp.office365.com:587");
    row("smarthost unqualified", "delivery.smarthost", s("mailhub"), "mailhub");
    row("smarthost IDN", "delivery.smarthost", s("mx.bücher.example:25"), "mx.xn--bcher-kva.example:25");
    row("smarthost port max", "delivery.smarthost", s("mx.drypizza.com:65535"), "mx.drypizza.com:65535");
    row("smarthost port leading zero", "delivery.smarthost", s("mx.drypizza.com:025"), "mx.drypizza.com:25");
    row("smarthost empty", "delivery.smarthost", s(""), "");
    // Postfix next-hop syntax: brackets mean "this host, no MX look-up".
    row("smarthost bracketed ipv4", "delivery.smarthost", s("[192.0.2.7]:587"), "[192.0.2.7]:587");
    row("smarthost bracketed name", "delivery.smarthost", s("[Smtp.Example.com]:587"),
        "[smtp.example.com]:587");
    // CidrList
    row("cidr one", "outbound.allowed_clients", s("10.0.0.0/8"), "10.0.0.0/8");
    row("cidr list", "outbound.allowed_clients", s("10.0.0.0/8,2001:db8::/32, 192.0.2.7"),
        "10.0.0.0/8, 2001:db8::/32, 192.0.2.7/32");
    row("cidr whitespace separated", "outbound.allowed_clients", s("10.0.0.0/8  172.16.0.0/12"),
        "10.0.0.0/8, 172.16.0.0/12");
    row("cidr bare ipv6", "outbound.allowed_clients", s("2001:DB8::7"), "2001:db8::7/128");
    row("cidr /32", "outbound.allowed_clients", s("192.0.2.7/32"), "192.0.2.7/32");
    row("cidr duplicates dropped", "outbound.allowed_clients", s("192.0.2.7, 192.0.2.7/32"), "192.0.2.7/32");
    row("cidr empty", "outbound.allowed_clients", s(""), "");
    // DomainList
    row("domains", "outbound.allowed_senders",
        s("DryPizza.com, @warmsushi.com.  bücher.example,drypizza.com"),
        "drypizza.com, warmsushi.com, xn--bcher-kva.example");
    row("domains empty", "outbound.allowed_senders", s(""), "");
    // Path, String
    row("path", "tls.certificate", s("/etc/mailroute/relay.pem"), "/etc/mailroute/relay.pem");
    row("path with spaces", "tls.key", s("/srv/my certs/relay.key"), "/srv/my certs/relay.key");
    row("path empty", "tls.key", s(""), "");
    row("string", "smarthost.username", s("relay@drypizza.onmicrosoft.com"),
        "relay@drypizza.onmicrosoft.com");
    row("string trimmed", "smarthost.username", s(" svc-relay "), "svc-relay");
    row("choice lower-cased", "tls.required_before_mail", s(" Allowed_Clients "), "allowed_clients");
    row("choice all", "tls.required_before_mail", s("all"), "all");
}

void TestSettingsSchema::goodValue()
{
    QFETCH(QString, key);
    QFETCH(QString, value);
    QFETCH(QString, canonical);

    const Result<QString> r = SettingsSchema::validate(key, value);
    QVERIFY2(r.ok(), qPrintable(r.error));
    QCOMPARE(*r, canonical);
    // Canonical text is a fixed point.
    const Result<QString> again = SettingsSchema::validate(key, *r);
    QVERIFY2(again.ok(), qPrintable(again.error));
    QCOMPARE(*again, canonical);
}

void TestSettingsSchema::badValue_data()
{
    QTest::addColumn<QString>("key");
    QTest::addColumn<QString>("value");
    QTest::addColumn<QString>("reason"); // the whole message or a fragment of it

    auto row = [](const char *name, const char *key, const char *value, const char *reason) {
        QTest::newRow(name) << QString::fromLatin1(key) << QString::fromUtf8(value)
                            << QString::fromUtf8(reason);
    };
    // Integer: the exact message
    row("integer text", "limits.recipients", "abc",
        "limits.recipients must be an integer between 1 and 100000, got 'abc'");
    row("integer zero", "limits.recipients", "0",
        "limits.recipients must be an integer between 1 and 100000, got '0'");
    row("integer too big", "limits.recipients", "100001", "between 1 and 100000, got '100001'");
    row("integer negative", "relay.max_hops", "-5",
        "relay.max_hops must be an integer between 1 and 1000, got '-5'");
    row("integer decimal", "limits.errors", "2.5", "got '2.5'");
    row("integer hex", "limits.errors", "0x10", "got '0x10'");
    row("integer overflow", "limits.errors", "99999999999999999999999", "must be an integer");
    row("integer empty", "limits.errors", "", "limits.errors must be an integer between 1 and 1000, got ''");
    row("command line below RFC", "limits.command_line", "511", "between 512 and 65536");
    row("text line below RFC", "limits.text_line", "998", "between 1000 and 1048576");
    // Header rewriting: the old true/false is no value of the new choices...
    row("recipient headers bool", "rewrite.recipient_headers", "true",
        "must be one of unsigned, always, never");
    row("sender headers bool", "rewrite.sender_headers", "true", "must be one of yes, no");
    row("sender headers empty", "rewrite.sender_headers", "", "must be one of yes, no");
    // ...and the retired setting is refused, naming both successors.
    row("retired rewrite.headers", "rewrite.headers", "false",
        "rewrite.headers was replaced by two settings: rewrite.recipient_headers (unsigned, always or never");
    row("retired rewrite.headers true", "rewrite.headers", "true", "and rewrite.sender_headers (yes or no");
    // Size
    row("size unit", "limits.message_size", "35X", "limits.message_size must be a size in bytes");
    row("size too big", "limits.message_size", "3G", "between 1 and 2147483648");
    row("size zero", "limits.message_size", "0", "got '0'");
    row("size fraction", "limits.message_size", "1.5M", "got '1.5M'");
    row("size overflow", "limits.message_size", "999999999999999999G", "must be a size");
    // Duration
    row("duration unit", "limits.command_timeout", "5w", "limits.command_timeout must be a duration");
    row("duration zero", "limits.command_timeout", "0s", "between 1 and 86400 seconds");
    row("duration too long", "limits.data_timeout", "2d", "got '2d'");
    // DurationList
    row("schedule empty", "retry.schedule", "", "retry.schedule must be a comma-separated list");
    row("schedule empty item", "retry.schedule", "5m,,60m", "bad item ''");
    row("schedule zero", "retry.schedule", "5m,0m", "bad item '0m'");
    row("schedule unit", "retry.schedule", "5m,20x", "bad item '20x'");
    row("schedule too long", "retry.schedule", "31d", "bad item '31d'");
    // Offsets from the first attempt: "2s,2s,2s" is not three retries.
    row("schedule duplicates", "retry.schedule", "2s,2s,2s",
        "retry.schedule must list strictly increasing delays, each counted from the first attempt (not the "
        "gap "
        "since the previous one): '2s' does not come after '2s'");
    row("schedule not ascending", "retry.schedule", "1h,5m", "'5m' does not come after '1h'");
    row("schedule same in other units", "retry.schedule", "5m,300s", "'300s' does not come after '5m'");
    row("min backoff zero", "retry.min_backoff", "0", "retry.min_backoff must be a duration between 1");
    row("hold max too short", "retry.hold_max", "10m", "retry.hold_max must be a duration between 3600");
    row("retention negative", "log.retention_days", "-1", "log.retention_days must be an integer");
    // Hostname
    row("hostname single label", "relay.hostname", "localhost",
        "relay.hostname must be a fully qualified host name");
    row("hostname ip", "relay.hostname", "192.0.2.1", "must be a fully qualified host name");
    row("hostname underscore", "relay.hostname", "my_relay.example.com", "relay.hostname must be");
    row("hostname with @", "relay.hostname", "@drypizza.com", "fully qualified");
    row("hostname literal", "relay.hostname", "[192.0.2.1]", "fully qualified");
    // Email
    row("email no domain", "relay.postmaster", "admin@", "relay.postmaster must be an email address");
    row("email unqualified", "relay.postmaster", "admin@localhost", "single label");
    row("email percent hack", "relay.postmaster", "a%b@drypizza.com", "'%'");
    // HostPort
    row("hostport bare ipv6", "relay.listen", "::1", "IPv6 address must be in brackets");
    row("hostport port zero", "relay.listen", "0.0.0.0:0", "between 1 and 65535");
    row("hostport port too big", "delivery.smarthost", "mx.drypizza.com:65536", "between 1 and 65535");
    row("hostport port text", "delivery.smarthost", "mx.drypizza.com:smtp", "between 1 and 65535");
    row("hostport empty port", "delivery.smarthost", "mx.drypizza.com:", "between 1 and 65535");
    row("hostport short ipv4", "relay.listen", "127.1:25", "'127.1' is not an IP address");
    row("hostport octal ipv4", "relay.listen", "010.0.0.1:25", "must be a host name");
    row("hostport ipv4 range", "relay.listen", "256.0.0.1", "must be a host name");
    row("hostport unclosed bracket", "relay.listen", "[::1:25", "must be a host name");
    row("hostport junk after bracket", "relay.listen", "[::1]x", "must be a host name");
    row("hostport bad name", "delivery.smarthost", "mx_1.drypizza.com", "delivery.smarthost must be");
    row("hostport scope id", "relay.listen", "[fe80::1%eth0]:25", "must be a host name");
    row("hostport empty required", "relay.listen", "", "relay.listen must be");
    // CidrList
    row("cidr garbage", "outbound.allowed_clients", "10.0.0.0/8, example.com",
        "'example.com' is not an IPv4 or IPv6 address");
    row("cidr prefix", "outbound.allowed_clients", "10.0.0.0/33", "prefix length that is not 0-32");
    row("cidr prefix v6", "outbound.allowed_clients", "2001:db8::/129", "prefix length that is not 0-128");
    row("cidr host bits", "outbound.allowed_clients", "10.1.2.3/8", "did you mean '10.0.0.0/8'?");
    row("cidr host bits v6", "outbound.allowed_clients", "2001:db8::1/32", "did you mean '2001:db8::/32'?");
    row("cidr open relay", "outbound.allowed_clients", "0.0.0.0/0", "open relay");
    row("cidr open relay v6", "outbound.allowed_clients", "::/0", "open relay");
    row("cidr abbreviated", "outbound.allowed_clients", "10/8", "is not an IPv4 or IPv6 address");
    row("cidr netmask", "outbound.allowed_clients", "10.0.0.0/255.0.0.0", "prefix length");
    row("cidr octal", "outbound.allowed_clients", "010.0.0.0/8", "is not an IPv4");
    // DomainList
    row("domains single label", "outbound.allowed_senders", "drypizza.com, localhost",
        "'localhost' is not one");
    row("domains address", "outbound.allowed_senders", "bob@drypizza.com", "must be a list of mail domains");
    row("domains look-alike", "outbound.allowed_senders", "drypizza.com pay\u200Dpal.example",
        "zero-width joiner");
    // Path
    row("path relative", "tls.certificate", "certs/relay.pem",
        "tls.certificate must be an absolute file path");
    row("choice unknown", "tls.required_before_mail", "yes", "must be one of no, allowed_clients, all");
    row("choice empty", "tls.required_before_mail", "", "must be one of no, allowed_clients, all");
}

void TestSettingsSchema::badValue()
{
    QFETCH(QString, key);
    QFETCH(QString, value);
    QFETCH(QString, reason);

    const Result<QString> r = SettingsSchema::validate(key, value);
    QVERIFY2(!r.ok(), qPrintable(QStringLiteral("accepted as ") + r.value.value_or(QString())));
    QVERIFY2(r.error.contains(reason), qPrintable(r.error));
    QVERIFY2(r.error.startsWith(key + QLatin1Char(' ')), qPrintable(r.error));
}

void TestSettingsSchema::unknownKey_data()
{
    QTest::addColumn<QString>("key");
    QTest::addColumn<QString>("expected");

    QTest::newRow("no suggestion") << QStringLiteral("colour") << QStringLiteral("unknown setting 'colour'");
    QTest::newRow("typo") << QStringLiteral("limits.recipeints")
                          << QStringLiteral(
                                 "unknown setting 'limits.recipeints'; did you mean 'limits.recipients'?");
    QTest::newRow("one letter") << QStringLiteral("relay.listn")
                                << QStringLiteral(
                                       "unknown setting 'relay.listn'; did you mean 'relay.listen'?");
    QTest::newRow("case") << QStringLiteral("Relay.Hostname")
                          << QStringLiteral(
                                 "unknown setting 'Relay.Hostname'; did you mean 'relay.hostname'?");
    QTest::newRow("section missing") << QStringLiteral("max_hops")
                                     << QStringLiteral(
                                            "unknown setting 'max_hops'; did you mean 'relay.max_hops'?");
    QTest::newRow("distance 3 is too far")
        << QStringLiteral("relay.lis") << QStringLiteral("unknown setting 'relay.lis'");
    QTest::newRow("far and no section match")
        << QStringLiteral("limits.sesions_per") << QStringLiteral("unknown setting 'limits.sesions_per'");
    QTest::newRow("password") << QStringLiteral("smarthost.password")
                              << QStringLiteral(
                                     "unknown setting 'smarthost.password'; passwords are not settings, "
                                     "they are kept in the operating system's keychain");
    QTest::newRow("empty") << QString() << QStringLiteral("unknown setting ''");
}

void TestSettingsSchema::unknownKey()
{
    QFETCH(QString, key);
    QFETCH(QString, expected);

    const QString secret = QStringLiteral("hunter2-s3cret");
    const Result<QString> r = SettingsSchema::validate(key, secret);
    QVERIFY(!r.ok());
    QCOMPARE(r.error, expected);
    QVERIFY(!r.error.contains(secret));
    QVERIFY(!SettingsSchema::find(key));
}

void TestSettingsSchema::controlCharacters_data()
{
    QTest::addColumn<QString>("key");
    QTest::addColumn<QString>("value");
    QTest::addColumn<QString>("what");

    const QString cr = QStringLiteral("a\rb");
    const QString lf = QStringLiteral("a\nb");
    const QString nul = QStringLiteral("a") + QChar(0) + QStringLiteral("b");
    for (const SettingDef &def : SettingsSchema::all()) {
        QTest::addRow("%s CR", qPrintable(def.key))
            << def.key << cr << QStringLiteral("carriage return (CR)");
        QTest::addRow("%s LF", qPrintable(def.key)) << def.key << lf << QStringLiteral("line feed (LF)");
        QTest::addRow("%s NUL", qPrintable(def.key)) << def.key << nul << QStringLiteral("NUL");
    }
    // Even where trimming would otherwise have removed it, and after a valid value.
    QTest::newRow("trailing LF") << QStringLiteral("limits.recipients") << QStringLiteral("100\n")
                                 << QStringLiteral("line feed");
    QTest::newRow("header injection")
        << QStringLiteral("relay.hostname") << QStringLiteral("relay.drypizza.com\r\nX-Evil: 1")
        << QStringLiteral("carriage return");
    QTest::newRow("tab") << QStringLiteral("smarthost.username") << QStringLiteral("a\tb")
                         << QStringLiteral("control character (U+0009)");
}

void TestSettingsSchema::controlCharacters()
{
    QFETCH(QString, key);
    QFETCH(QString, value);
    QFETCH(QString, what);

    const Result<QString> r = SettingsSchema::validate(key, value);
    QVERIFY(!r.ok());
    QVERIFY2(r.error.startsWith(key + QStringLiteral(" must be a single line")), qPrintable(r.error));
    QVERIFY2(r.error.contains(what), qPrintable(r.error));
}

void TestSettingsSchema::typedReaders()
{
    QCOMPARE(SettingsSchema::toBool(QStringLiteral("true")), true);
    QCOMPARE(SettingsSchema::toBool(QStringLiteral("false")), false);
    QCOMPARE(SettingsSchema::toInteger(QStringLiteral("36700160")), 36700160);
    QCOMPARE(SettingsSchema::toDurationList(QStringLiteral("5m,20m,60m")), (QList<qint64>{300, 1200, 3600}));
    QCOMPARE(SettingsSchema::toDurationList(QStringLiteral("300,1h,2d")), (QList<qint64>{300, 3600, 172800}));
    QCOMPARE(SettingsSchema::toDurationList(QString()), QList<qint64>{});
    QCOMPARE(SettingsSchema::toList(QStringLiteral("10.0.0.0/8, 2001:db8::/32")),
             (QStringList{QStringLiteral("10.0.0.0/8"), QStringLiteral("2001:db8::/32")}));
    QCOMPARE(SettingsSchema::toList(QString()), QStringList{});

    // The readers agree with validate(): the default schedule is three retries within an hour.
    const SettingDef *schedule = SettingsSchema::find(QStringLiteral("retry.schedule"));
    QVERIFY(schedule);
    const QList<qint64> delays =
        SettingsSchema::toDurationList(*SettingsSchema::validate(schedule->key, schedule->defaultValue));
    QCOMPARE(delays.size(), 3);
    QCOMPARE(delays.last(), 3600);
}

QTEST_GUILESS_MAIN(TestSettingsSchema)
#include "tst_settingsschema.moc"
