// End-to-end tests: mailroutectl run as a process on a temporary database.
#include "tests/app/ctlrun.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QProcessEnvironment>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

using namespace mailroute::testing;

namespace {

// Test arguments mix literals and QStrings: QT_NO_CAST_FROM_ASCII is on.
QStringList argv(std::initializer_list<QAnyStringView> args)
{
    QStringList out;
    for (QAnyStringView a : args)
        out << a.toString();
    return out;
}

} // namespace

class TestMailroutectl : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QString m_db;
    int m_dbCounter = 0;

    Run ctl(std::initializer_list<QAnyStringView> args, const QByteArray &stdinData = {})
    {
        return ctl(argv(args), stdinData);
    }

    Run ctl(const QStringList &args, const QByteArray &stdinData = {}, const QString &db = {})
    {
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("MAILROUTE_DB"), db.isEmpty() ? m_db : db);
        return runMailroutectl(args, env, stdinData);
    }

    QString writeFile(const QString &name, const QByteArray &data)
    {
        const QString path = m_dir.filePath(name);
        QFile f(path);
        if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate))
            qFatal("cannot write test file");
        f.write(data);
        return path;
    }

private slots:
    void init()
    {
        QVERIFY(m_dir.isValid());
        m_db = m_dir.filePath(QStringLiteral("db%1.sqlite").arg(++m_dbCounter));
    }

    void specExample()
    {
        QCOMPARE(ctl({"domains", "add", "--area", "inbound", "@warmsushi.com", "@drypizza.com"}).code, 0);
        QCOMPARE(
            ctl({"users", "add", "--area", "inbound", "bob@warmsushi.com", "bob.owen@drypizza.com"}).code, 0);
        Run r = ctl({"route", "--area", "inbound", "bob@warmsushi.com"});
        QCOMPARE(r.code, 0);
        QCOMPARE(r.out, QStringLiteral("bob.owen@drypizza.com\tuser\n"));
        r = ctl({"route", "--area", "inbound", "chloe@warmsushi.com"});
        QCOMPARE(r.out, QStringLiteral("chloe@drypizza.com\tdomain\n"));
        r = ctl({"route", "--area", "inbound", "BOB@WarmSushi.COM"});
        QCOMPARE(r.out, QStringLiteral("bob.owen@drypizza.com\tuser\n"));
        r = ctl({"route", "--area", "inbound", "zoe@elsewhere.example"});
        QCOMPARE(r.out, QStringLiteral("zoe@elsewhere.example\tnone\n"));
        // Other areas are independent.
        r = ctl({"route", "--area", "outbound", "bob@warmsushi.com"});
        QCOMPARE(r.out, QStringLiteral("bob@warmsushi.com\tnone\n"));
    }

    void listFormats()
    {
        QCOMPARE(ctl({"domains", "add", "--area", "relay", "WarmSushi.com.", "drypizza.com"}).code, 0);
        Run r = ctl({"domains", "list", "--area", "relay"});
        QCOMPARE(r.code, 0);
        QCOMPARE(r.out, QStringLiteral("@warmsushi.com\t@drypizza.com\n"));
        QCOMPARE(ctl({"users", "add", "--area", "outbound", "Bob@warmsushi.com", "bob@drypizza.com"}).code,
                 0);
        r = ctl({"users", "list", "--area", "outbound"});
        QCOMPARE(r.out, QStringLiteral("Bob@warmsushi.com\tbob@drypizza.com\n"));
    }

    void usageErrorsExit2_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::newRow("no command") << argv({});
        QTest::newRow("unknown command") << argv({"frobnicate"});
        QTest::newRow("unknown option") << argv({"domains", "list", "--area", "relay", "--bogus"});
        QTest::newRow("missing area") << argv({"domains", "list"});
        QTest::newRow("bad area") << argv({"domains", "list", "--area", "sideways"});
        QTest::newRow("relay has no users") << argv({"users", "list", "--area", "relay"});
        QTest::newRow("missing target") << argv({"domains", "add", "--area", "relay", "a.example"});
        QTest::newRow("extra argument") << argv({"diff", "now"});
        QTest::newRow("bad generation") << argv({"rollback", "zero"});
        QTest::newRow("area without value") << argv({"route", "--area"});
        QTest::newRow("unknown domains verb") << argv({"domains", "rename", "--area", "relay"});
    }
    void usageErrorsExit2()
    {
        QFETCH(QStringList, args);
        const Run r = ctl(args);
        QCOMPARE(r.code, 2);
        QVERIFY2(r.err.startsWith(QLatin1String("mailroutectl: ")), qPrintable(r.err));
        QVERIFY(r.out.isEmpty());
    }

    void errorsExit1AndChangeNothing_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::newRow("invalid domain")
            << argv({"domains", "add", "--area", "inbound", "bad_domain", "x.example"});
        QTest::newRow("percent hack user")
            << argv({"users", "add", "--area", "inbound", "a%b@warmsushi.com", "a@drypizza.com"});
        QTest::newRow("duplicate domain")
            << argv({"domains", "add", "--area", "inbound", "@WARMSUSHI.com", "@other.example"});
        QTest::newRow("remove missing") << argv({"domains", "remove", "--area", "inbound", "@nope.example"});
        QTest::newRow("unknown setting") << argv({"settings", "set", "relay.bogus", "1"});
        QTest::newRow("bad setting value") << argv({"settings", "set", "limits.recipients", "lots"});
        QTest::newRow("route invalid address") << argv({"route", "--area", "inbound", "not-an-address"});
        QTest::newRow("rollback without generations") << argv({"rollback"});
    }
    void errorsExit1AndChangeNothing()
    {
        QFETCH(QStringList, args);
        QCOMPARE(ctl({"domains", "add", "--area", "inbound", "warmsushi.com", "drypizza.com"}).code, 0);
        const QString before = ctl({"domains", "list", "--area", "inbound"}).out +
                               ctl({"settings", "list"}).out +
                               ctl({"users", "list", "--area", "inbound"}).out;
        const Run r = ctl(args);
        QCOMPARE(r.code, 1);
        QVERIFY2(r.err.startsWith(QLatin1String("mailroutectl: ")) && r.err.size() > 20, qPrintable(r.err));
        const QString after = ctl({"domains", "list", "--area", "inbound"}).out +
                              ctl({"settings", "list"}).out + ctl({"users", "list", "--area", "inbound"}).out;
        QCOMPARE(after, before);
    }

    void helpOnEveryCommand_data()
    {
        QTest::addColumn<QStringList>("args");
        for (const char *c : {"domains", "users", "route", "diff", "push", "rollback", "generations", "lint",
                              "logs", "settings", "routes", "serve", "queue", "export", "hold", "purge"})
            QTest::newRow(c) << argv({QString::fromLatin1(c), QStringLiteral("--help")});
        QTest::newRow("global") << argv({"--help"});
        QTest::newRow("help word") << argv({"help", "users"});
    }
    void helpOnEveryCommand()
    {
        QFETCH(QStringList, args);
        const Run r = ctl(args);
        QCOMPARE(r.code, 0);
        QVERIFY(r.out.startsWith(QLatin1String("Usage: mailroutectl")));
        if (args.size() == 2 && args.at(0) != QLatin1String("help"))
            QVERIFY2(r.out.contains(args.at(0)), qPrintable(r.out));
    }

    void version()
    {
        const Run r = ctl({"--version"});
        QCOMPARE(r.code, 0);
        QVERIFY(r.out.startsWith(QLatin1String("mailroutectl ")));
        QVERIFY(r.out.contains(QLatin1Char('.')));
    }

    void importExportRoundTrip()
    {
        const QByteArray csv = "SourceEmail,TargetEmail\r\n"
                               "alice@warmsushi.com,alice.smith@drypizza.com\r\n"
                               "\"bob@warmsushi.com\",bob.owen@drypizza.com\r\n"
                               "carol@warmsushi.com,carol@drypizza.com\r\n";
        Run r = ctl({"users", "import", "--area", "inbound", writeFile(QStringLiteral("in.csv"), csv)});
        QCOMPARE(r.code, 0);
        QVERIFY2(r.out.contains(QLatin1String("3 new")), qPrintable(r.out));
        QCOMPARE(ctl({"users", "list", "--area", "inbound"}).out.count(QLatin1Char('\n')), 3);

        const Run exported = ctl({"users", "export", "--area", "inbound"});
        QCOMPARE(exported.code, 0);
        QVERIFY(exported.out.startsWith(QLatin1String("Source;Target")));
        const QString file = m_dir.filePath(QStringLiteral("out.csv"));
        QCOMPARE(ctl({"users", "export", "--area", "inbound", file}).code, 0);
        QFile f(file);
        QVERIFY(f.open(QIODevice::ReadOnly));
        QCOMPARE(QString::fromUtf8(f.readAll()), exported.out);

        // Re-import of the export: nothing changes, and a second export is byte-identical.
        r = ctl({"users", "import", "--area", "inbound", file});
        QCOMPARE(r.code, 0);
        QVERIFY2(r.out.contains(QLatin1String("0 new, 0 changed, 0 removed, 3 unchanged")),
                 qPrintable(r.out));
        QCOMPARE(ctl({"users", "export", "--area", "inbound"}).out, exported.out);

        // The import replaces the whole list.
        r = ctl({"users", "import", "--area", "inbound",
                 writeFile(QStringLiteral("small.csv"),
                           "Source;Target\nbob@warmsushi.com;bob.o@drypizza.com\n")});
        QCOMPARE(r.code, 0);
        QVERIFY2(r.out.contains(QLatin1String("0 new, 1 changed, 2 removed")), qPrintable(r.out));
        QCOMPARE(ctl({"users", "list", "--area", "inbound"}).out,
                 QStringLiteral("bob@warmsushi.com\tbob.o@drypizza.com\n"));
    }

    void importRefusesBadFileAsAWhole()
    {
        QCOMPARE(ctl({"users", "add", "--area", "inbound", "keep@warmsushi.com", "keep@drypizza.com"}).code,
                 0);
        const QByteArray bad = "Source;Target\n"
                               "ok@warmsushi.com;ok@drypizza.com\n"
                               "broken@;x@drypizza.com\n"
                               "a;b;c\n"
                               "fine@warmsushi.com;fine@drypizza.com\n";
        const Run r =
            ctl({"users", "import", "--area", "inbound", writeFile(QStringLiteral("bad.csv"), bad)});
        QCOMPARE(r.code, 1);
        QVERIFY2(r.err.contains(QLatin1String("bad.csv:3: ")), qPrintable(r.err));
        QVERIFY2(r.err.contains(QLatin1String("bad.csv:4: ")), qPrintable(r.err));
        QVERIFY2(!r.err.contains(QLatin1String("bad.csv:2: ")), qPrintable(r.err));
        QCOMPARE(ctl({"users", "list", "--area", "inbound"}).out,
                 QStringLiteral("keep@warmsushi.com\tkeep@drypizza.com\n"));
    }

    void headerOnlyNeedsAllowEmpty()
    {
        QCOMPARE(ctl({"users", "add", "--area", "outbound", "keep@warmsushi.com", "keep@drypizza.com"}).code,
                 0);
        const QString file = writeFile(QStringLiteral("empty.csv"), "Source;Target\r\n");
        QCOMPARE(ctl({"users", "import", "--area", "outbound", file}).code, 1);
        QCOMPARE(ctl({"users", "list", "--area", "outbound"}).out.count(QLatin1Char('\n')), 1);
        QCOMPARE(ctl({"users", "import", "--area", "outbound", "--allow-empty", file}).code, 0);
        QCOMPARE(ctl({"users", "list", "--area", "outbound"}).out, QString());
    }

    void sampleImports()
    {
        const Run sample = ctl({"users", "sample"});
        QCOMPARE(sample.code, 0);
        QCOMPARE(sample.out.count(QLatin1Char('\n')), 2);
        const Run r = ctl({"users", "import", "--area", "inbound", "-"}, sample.out.toUtf8());
        QCOMPARE(r.code, 0);
        QCOMPARE(ctl({"users", "list", "--area", "inbound"}).out.count(QLatin1Char('\n')), 1);
    }

    void pushDiffRollback()
    {
        QCOMPARE(ctl({"domains", "add", "--area", "relay", "warmsushi.com", "drypizza.com"}).code, 0);
        Run r = ctl({"diff"});
        QCOMPARE(r.out, QStringLiteral("relay domain + @warmsushi.com -> @drypizza.com\n"));
        r = ctl({"route", "--area", "relay", "--pushed", "a@warmsushi.com"});
        QCOMPARE(r.code, 1); // nothing pushed yet

        r = ctl({"push"});
        QCOMPARE(r.code, 0);
        QCOMPARE(r.out, QStringLiteral("generation 1 is active\n"));
        QCOMPARE(ctl({"diff"}).out, QString());
        QCOMPARE(ctl({"push"}).out, QStringLiteral("no changes; generation 1 stays active\n"));

        QCOMPARE(ctl({"domains", "remove", "--area", "relay", "@warmsushi.com"}).code, 0);
        QCOMPARE(ctl({"domains", "add", "--area", "relay", "warmsushi.com", "frozenpizza.com"}).code, 0);
        QCOMPARE(ctl({"diff"}).out,
                 QStringLiteral("relay domain ~ @warmsushi.com: @drypizza.com -> @frozenpizza.com\n"));
        // The draft and the pushed generation answer differently until the push.
        QCOMPARE(ctl({"route", "--area", "relay", "a@warmsushi.com"}).out,
                 QStringLiteral("a@frozenpizza.com\tdomain\n"));
        QCOMPARE(ctl({"route", "--area", "relay", "--pushed", "a@warmsushi.com"}).out,
                 QStringLiteral("a@drypizza.com\tdomain\n"));
        QCOMPARE(ctl({"push"}).out, QStringLiteral("generation 2 is active\n"));

        r = ctl({"rollback"});
        QCOMPARE(r.code, 0);
        QCOMPARE(r.out, QStringLiteral("generation 1 is active\n"));
        // The draft follows the rollback.
        QCOMPARE(ctl({"domains", "list", "--area", "relay"}).out,
                 QStringLiteral("@warmsushi.com\t@drypizza.com\n"));
        QCOMPARE(ctl({"diff"}).out, QString());
        r = ctl({"generations"});
        QCOMPARE(r.out.count(QLatin1Char('\n')), 2);
        QVERIFY2(r.out.contains(QRegularExpression(QStringLiteral("^1\\t[^\\n]*\\tactive$"),
                                                   QRegularExpression::MultilineOption)),
                 qPrintable(r.out));
        QCOMPARE(ctl({"rollback", "7"}).code, 1);
    }

    void actionLogLines()
    {
        QCOMPARE(ctl({"domains", "add", "--area", "inbound", "warmsushi.com", "drypizza.com"}).code, 0);
        QCOMPARE(
            ctl({"users", "add", "--area", "inbound", "bob@warmsushi.com", "bob.owen@drypizza.com"}).code, 0);
        QCOMPARE(ctl({"users", "remove", "--area", "inbound", "BOB@warmsushi.com"}).code, 0);
        QCOMPARE(ctl({"push"}).code, 0);
        const Run r = ctl({"logs", "--area", "inbound"});
        QCOMPARE(r.code, 0);
        const QStringList lines = r.out.split(QLatin1Char('\n'), Qt::SkipEmptyParts);
        QVERIFY2(lines.size() >= 4, qPrintable(r.out));
        for (const QString &line : lines)
            QVERIFY2(line.split(QLatin1Char('\t')).value(1) == QLatin1String("inbound"), qPrintable(line));
        QVERIFY2(lines.at(0).endsWith(QLatin1String("\tDomains inserted : @warmsushi.com to @drypizza.com,")),
                 qPrintable(lines.at(0)));
        QVERIFY2(r.out.contains(QLatin1String("\t1 user has been deleted: bob@warmsushi.com.\n")),
                 qPrintable(r.out));
        QVERIFY2(r.out.contains(QLatin1String("\tUpdate configuration request submitted\n")),
                 qPrintable(r.out));
        // Other areas' logs do not show inbound lines.
        QVERIFY(!ctl({"logs", "--area", "relay"}).out.contains(QLatin1String("warmsushi")));
    }

    void settingsRoundTrip()
    {
        QCOMPARE(ctl({"settings", "get", "retry.schedule"}).out, QStringLiteral("5m,20m,60m\n"));
        QCOMPARE(ctl({"settings", "set", "limits.message_size", "10M"}).code, 0);
        QCOMPARE(ctl({"settings", "get", "limits.message_size"}).out, QStringLiteral("10485760\n"));
        QCOMPARE(ctl({"settings", "reset", "limits.message_size"}).code, 0);
        QCOMPARE(ctl({"settings", "get", "limits.message_size"}).out, QStringLiteral("36700160\n"));
        QCOMPARE(ctl({"settings", "get", "no.such.key"}).code, 1);
        const Run list = ctl({"settings", "list"});
        QVERIFY(list.out.contains(QLatin1String("relay.max_hops\t50\n")));
    }

    // rewrite.headers (before issue 10) is refused, naming its successors,
    // whose values are the words the console offers.
    void retiredRewriteHeadersIsRefused()
    {
        for (const QStringList &args :
             {QStringList{QStringLiteral("settings"), QStringLiteral("set"),
                          QStringLiteral("rewrite.headers"), QStringLiteral("false")},
              QStringList{QStringLiteral("settings"), QStringLiteral("reset"),
                          QStringLiteral("rewrite.headers")},
              QStringList{QStringLiteral("settings"), QStringLiteral("get"),
                          QStringLiteral("rewrite.headers")}}) {
            const Run r = ctl(args);
            QCOMPARE(r.code, 1);
            QVERIFY2(r.err.contains(QLatin1String("rewrite.headers was replaced by two settings: "
                                                  "rewrite.recipient_headers (unsigned, always or never")) &&
                         r.err.contains(QLatin1String("rewrite.sender_headers (yes or no")),
                     qPrintable(r.err));
        }
        QCOMPARE(ctl({"settings", "get", "rewrite.recipient_headers"}).out, QStringLiteral("unsigned\n"));
        QCOMPARE(ctl({"settings", "set", "rewrite.recipient_headers", "Never"}).code, 0);
        QCOMPARE(ctl({"settings", "get", "rewrite.recipient_headers"}).out, QStringLiteral("never\n"));
        QCOMPARE(ctl({"settings", "set", "rewrite.sender_headers", "true"}).code, 1);
        QCOMPARE(ctl({"settings", "get", "rewrite.sender_headers"}).out, QStringLiteral("yes\n"));
    }

    // Issue 11: retry.schedule lists offsets from the first attempt; a list
    // that does not increase is refused (exit 1), with the reason, and
    // nothing is stored.
    void retryScheduleMustIncrease()
    {
        const Run r = ctl({"settings", "set", "retry.schedule", "2s,2s,2s"});
        QCOMPARE(r.code, 1);
        QVERIFY2(r.err.contains(QLatin1String("strictly increasing")), qPrintable(r.err));
        QVERIFY2(r.err.contains(QLatin1String("'2s' does not come after '2s'")), qPrintable(r.err));
        QCOMPARE(ctl({"settings", "get", "retry.schedule"}).out, QStringLiteral("5m,20m,60m\n"));
        QCOMPARE(ctl({"settings", "set", "retry.schedule", "2s,4s,6s"}).code, 0);
    }

    // hold add|release|list: TIME as ISO 8601 or a duration, the list format
    // and --json; bad input changes nothing.
    void holdCommands()
    {
        QCOMPARE(ctl({"hold", "add", "@Drypizza.Example", "--until", "48h"}).code, 0);
        QCOMPARE(ctl({"hold", "add", "warmsushi.example"}).code, 0);
        QCOMPARE(ctl({"hold", "add", "utc.example", "--until", "2099-12-08T06:00Z"}).code, 0);
        QCOMPARE(ctl({"hold", "add", "offset.example", "--until", "2099-12-08T06:00+01:00"}).code, 0);
        QCOMPARE(ctl({"hold", "add", "bad.example", "--until", "tomorrow"}).code, 2);
        QCOMPARE(ctl({"hold", "add", "past.example", "--until", "2001-01-01T00:00"}).code, 2);
        QCOMPARE(ctl({"hold", "add", "not a domain"}).code, 2);
        QCOMPARE(ctl({"hold", "release", "nothing.example"}).code, 1);
        const QStringList lines = ctl({"hold", "list"}).out.split(QLatin1Char('\n'), Qt::SkipEmptyParts);
        QCOMPARE(lines.size(), 4);
        QHash<QString, QStringList> byDomain;
        for (const QString &l : lines)
            byDomain.insert(l.section(QLatin1Char('\t'), 0, 0), l.split(QLatin1Char('\t')));
        const QDateTime until =
            QDateTime::fromString(byDomain.value(QStringLiteral("drypizza.example")).value(2), Qt::ISODate);
        QVERIFY(qAbs(QDateTime::currentDateTimeUtc().addSecs(48 * 3600).secsTo(until)) < 120);
        QCOMPARE(byDomain.value(QStringLiteral("warmsushi.example")).value(2), QStringLiteral("-"));
        QCOMPARE(byDomain.value(QStringLiteral("warmsushi.example")).value(3), QStringLiteral("0"));
        QCOMPARE(byDomain.value(QStringLiteral("utc.example")).value(2),
                 QStringLiteral("2099-12-08T06:00:00Z"));
        QCOMPARE(byDomain.value(QStringLiteral("offset.example")).value(2),
                 QStringLiteral("2099-12-08T05:00:00Z"));
        const QJsonArray json = QJsonDocument::fromJson(ctl({"hold", "list", "--json"}).out.toUtf8()).array();
        QCOMPARE(json.size(), 4);
        QCOMPARE(json.at(0).toObject().value(QStringLiteral("domain")).toString(),
                 QStringLiteral("drypizza.example"));
        QVERIFY(json.at(3).toObject().value(QStringLiteral("until")).isNull());
        QCOMPARE(json.at(3).toObject().value(QStringLiteral("queued")).toInt(-1), 0);
        QCOMPARE(ctl({"hold", "release", "@warmsushi.example"}).code, 0);
        QVERIFY(!ctl({"hold", "list"}).out.contains(QLatin1String("warmsushi")));
        QVERIFY(ctl({"logs", "--actions"})
                    .out.contains(QLatin1String("Domain hold released : @warmsushi.example")));
    }

    // purge without --yes: exit 2, says what it would delete, deletes nothing.
    void purgeNeedsYes()
    {
        QCOMPARE(ctl({"domains", "add", "--area", "relay", "a.example", "b.example"}).code, 0);
        QCOMPARE(ctl({"purge"}).code, 2);
        const Run r = ctl({"purge", "--all"});
        QCOMPARE(r.code, 2);
        QVERIFY2(r.err.contains(QLatin1String("1 action log entries")), qPrintable(r.err));
        QVERIFY2(r.err.contains(QLatin1String("keychain entry smarthost.password")), qPrintable(r.err));
        QVERIFY2(r.err.contains(QLatin1String("nothing was deleted")), qPrintable(r.err));
        QVERIFY(ctl({"logs", "--actions"}).out.contains(QLatin1String("Domains inserted")));
    }

    // routes set --tls (issue 5): the route's own TLS policy, listed as the
    // third column, shown by diff, refused with exit 2 when misspelt.
    void routesWithTlsPolicy()
    {
        QCOMPARE(ctl({"routes", "set", "a.example", "[192.0.2.1]:2525", "--tls", "Encrypt"}).code, 0);
        QCOMPARE(ctl({"routes", "set", "b.example", "mx.b.example"}).code, 0);
        QCOMPARE(ctl({"routes", "list"}).out,
                 QStringLiteral("a.example\t[192.0.2.1]:2525\tencrypt\nb.example\tmx.b.example\tdefault\n"));
        QVERIFY(
            ctl({"diff"}).out.contains(QLatin1String("route + a.example -> [192.0.2.1]:2525 (tls encrypt)")));
        const Run bad = ctl({"routes", "set", "b.example", "mx.b.example", "--tls", "none"});
        QCOMPARE(bad.code, 2);
        QVERIFY2(bad.err.contains(QLatin1String("--tls must be may, encrypt or verify")),
                 qPrintable(bad.err));
        QCOMPARE(ctl({"routes", "list"}).out.count(QLatin1String("default")), 1); // unchanged
        QCOMPARE(ctl({"settings", "set", "delivery.tls_policy", "sometimes"}).code, 1);
        QCOMPARE(ctl({"settings", "set", "delivery.smarthost_tls", "VERIFY"}).code, 0);
        QCOMPARE(ctl({"settings", "get", "delivery.smarthost_tls"}).out, QStringLiteral("verify\n"));
    }

    void dbOptionBeatsEnvironment()
    {
        const QString other = m_dir.filePath(QStringLiteral("explicit.sqlite"));
        QCOMPARE(ctl({"--db", other, "domains", "add", "--area", "relay", "a.example", "b.example"}).code, 0);
        QCOMPARE(ctl({"domains", "list", "--area", "relay"}).out, QString());
        QCOMPARE(ctl({"domains", "list", "--area", "relay", "--db", other}).out,
                 QStringLiteral("@a.example\t@b.example\n"));
    }

    void concurrentWritersDoNotLoseChanges()
    {
        // Two processes adding mappings at the same time on one database.
        QCOMPARE(ctl({"domains", "list", "--area", "relay"}).code, 0); // create the file
        QList<QProcess *> procs;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("MAILROUTE_DB"), m_db);
        const int perWriter = 15;
        for (int w = 0; w < 2; ++w) {
            auto *p = new QProcess(this);
            p->setProcessEnvironment(env);
            QString script;
            for (int i = 0; i < perWriter; ++i)
                script += QStringLiteral(
                              "'%1' users add --area inbound u%2w%3@a.example u%2w%3@b.example || exit 1\n")
                              .arg(QStringLiteral(MAILROUTECTL_PATH))
                              .arg(i)
                              .arg(w);
            p->start(QStringLiteral("sh"), {QStringLiteral("-c"), script});
            procs << p;
        }
        for (QProcess *p : procs) {
            QVERIFY(p->waitForFinished(120000));
            QCOMPARE(p->exitCode(), 0);
        }
        QCOMPARE(ctl({"users", "list", "--area", "inbound"}).out.count(QLatin1Char('\n')), 2 * perWriter);
        qDeleteAll(procs);
    }
};

QTEST_GUILESS_MAIN(TestMailroutectl)
#include "tst_mailroutectl.moc"
