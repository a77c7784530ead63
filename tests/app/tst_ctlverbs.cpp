// mailroutectl's verb table (app/ctl/ctl_verbs.cpp), in process: it and the
// help texts name the same commands and verbs; an unknown command or verb
// and a missing argument are usage errors (exit status 2, nothing on
// stdout); --json is taken by exactly the verbs the table marks as listings
// (the ones the help's --json paragraph names) and refused with exit status
// 2 by every other verb.
#include "app/ctl/ctlapp.h"
#include "app/ctl/ctlcompletion.h"

#include <QJsonDocument>
#include <QRegularExpression>
#include <QSet>
#include <QTemporaryDir>
#include <QTest>

using namespace mailroute;
using namespace Qt::StringLiterals;

namespace {

struct Outcome
{
    int code = -1;
    QString out;
    QString err;
};

QString nameOf(const CtlVerb &v)
{
    return v.verb ? QString::fromLatin1(v.command) + u' ' + QString::fromLatin1(v.verb)
                  : QString::fromLatin1(v.command);
}

QSet<QString> tableCommands()
{
    QSet<QString> out;
    for (const CtlVerb &v : CtlApp::verbs())
        out.insert(QString::fromLatin1(v.command));
    return out;
}

// "mailroutectl COMMAND VERB" in the command's help, as the completion reads it.
QSet<QString> helpVerbs(const QString &command)
{
    const QRegularExpression re(
        u"mailroutectl %1 ([a-z][a-z-]*)\\b"_s.arg(QRegularExpression::escape(command)));
    QSet<QString> out;
    auto it = re.globalMatch(ctlHelpText(command));
    while (it.hasNext())
        out.insert(it.next().captured(1));
    return out;
}

// The "Commands:" block of the overview, without its indented continuations.
QString commandsBlock()
{
    const QString main = ctlHelpText({});
    const qsizetype from = main.indexOf(u"\nCommands:\n"_s);
    const qsizetype to = main.indexOf(u"\nAREA is"_s);
    return from >= 0 && to > from ? main.mid(from, to - from) : QString();
}

} // namespace

class TestCtlVerbs : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;

    Outcome run(const QStringList &args)
    {
        Outcome o;
        QTextStream out(&o.out);
        QTextStream err(&o.err);
        CtlApp app(out, err);
        o.code = app.run(QStringList{u"mailroutectl"_s, u"--db"_s, m_dir.filePath(u"mailroute.db"_s),
                                     u"--spool"_s, m_dir.filePath(u"spool"_s)} +
                         args);
        out.flush();
        err.flush();
        return o;
    }

    // The words that satisfy the row's area and its minimum of arguments.
    static QStringList wordsFor(const CtlVerb &v, int arguments)
    {
        QStringList words{QString::fromLatin1(v.command)};
        if (v.verb)
            words << QString::fromLatin1(v.verb);
        if (v.area != CtlVerb::AreaUse::None)
            words << u"--area"_s << u"inbound"_s;
        for (int i = 0; i < arguments; ++i)
            words << (i == 0 ? u"bob@example.com"_s : u"x%1.example"_s.arg(i));
        return words;
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        // DNS for check and verify goes to a closed port on loopback: answered at once, never the network.
        qputenv("MAILROUTE_NAMESERVER", "127.0.0.1:9");
        QVERIFY(!CtlApp::verbs().empty());
    }

    void everyTableCommandAndVerbIsInTheHelp()
    {
        const QString block = commandsBlock();
        QVERIFY(!block.isEmpty());
        for (const CtlVerb &v : CtlApp::verbs()) {
            const QString command = QString::fromLatin1(v.command);
            QVERIFY2(ctlHelpText(command) != ctlHelpText({}), qPrintable(command + u" has no help text"_s));
            QVERIFY2(QRegularExpression(u"\n  %1\\b"_s.arg(command)).match(block).hasMatch(),
                     qPrintable(command + u" is not in the overview's Commands"_s));
            if (!v.verb)
                continue;
            const QString verb = QString::fromLatin1(v.verb);
            QVERIFY2(helpVerbs(command).contains(verb),
                     qPrintable(nameOf(v) + u" is not in its help's usage"_s));
            QVERIFY2(
                QRegularExpression(u"\n  %1 [^\n]*\\b%2\\b"_s.arg(command, verb)).match(block).hasMatch(),
                qPrintable(nameOf(v) + u" is not in the overview's Commands"_s));
        }
    }

    void everyCommandAndVerbOfTheHelpIsInTheTable()
    {
        const QSet<QString> commands = tableCommands();
        const QRegularExpression line(u"\n  ([a-z]+)\\b"_s);
        auto it = line.globalMatch(commandsBlock());
        int named = 0;
        while (it.hasNext()) {
            const QString command = it.next().captured(1);
            ++named;
            QVERIFY2(commands.contains(command),
                     qPrintable(command + u" is in the help, not in the table"_s));
        }
        QVERIFY(named >= commands.size());
        for (const QString &command : commands) {
            QSet<QString> table;
            for (const CtlVerb &v : CtlApp::verbs()) {
                if (command == QLatin1String(v.command) && v.verb)
                    table.insert(QString::fromLatin1(v.verb));
            }
            QCOMPARE(helpVerbs(command), table);
        }
    }

    void listingsAreTheHelpsJsonCommands()
    {
        const QString main = ctlHelpText({}).simplified();
        const QRegularExpression re(u"--json: the listing commands \\(([^)]*)\\)"_s);
        const auto m = re.match(main);
        QVERIFY(m.hasMatch());
        QSet<QString> help;
        for (const QString &name : m.captured(1).split(u','))
            help.insert(name.trimmed());
        // Named after the paragraph's list, with their own formats.
        QVERIFY(main.contains(u"\"trace --json\""_s));
        QVERIFY(main.contains(u"\"status --json\""_s));
        help << u"trace"_s << u"status"_s;
        QSet<QString> table;
        for (const CtlVerb &v : CtlApp::verbs()) {
            if (v.json == CtlVerb::Json::Listing)
                table.insert(nameOf(v));
        }
        QCOMPARE(table, help);
        // A refused --json names them all.
        const Outcome refused = run({u"push"_s, u"--json"_s});
        QCOMPARE(refused.code, CtlApp::kExitUsage);
        for (const QString &name : std::as_const(table))
            QVERIFY2(refused.err.contains(name), qPrintable(name + u" is not in: "_s + refused.err));
    }

    void unknownCommandOrVerbIsAUsageError()
    {
        Outcome o = run({u"nosuchcommand"_s});
        QCOMPARE(o.code, CtlApp::kExitUsage);
        QVERIFY(o.out.isEmpty());
        QVERIFY2(o.err.contains(u"unknown command 'nosuchcommand'"_s), qPrintable(o.err));
        QSet<QString> withVerbs;
        for (const CtlVerb &v : CtlApp::verbs()) {
            if (v.verb)
                withVerbs.insert(QString::fromLatin1(v.command));
        }
        QVERIFY(withVerbs.contains(u"queue"_s));
        for (const QString &command : withVerbs) {
            if (command == QLatin1String("verify"))
                continue; // any other word is its ADDRESS
            bool area = false;
            for (const CtlVerb &v : CtlApp::verbs())
                area = area || (command == QLatin1String(v.command) && v.area != CtlVerb::AreaUse::None);
            const QStringList options = area ? QStringList{u"--area"_s, u"inbound"_s} : QStringList{};
            for (const QStringList &args : {QStringList{command, u"nosuchverb"_s}, QStringList{command}}) {
                o = run(args + options);
                QVERIFY2(o.code == CtlApp::kExitUsage, qPrintable(args.join(u' ') + u": "_s + o.err));
                QVERIFY2(o.out.isEmpty(), qPrintable(args.join(u' ') + u": "_s + o.out));
                QVERIFY(!o.err.isEmpty());
            }
        }
    }

    void missingArgumentIsAUsageError()
    {
        int checked = 0;
        for (const CtlVerb &v : CtlApp::verbs()) {
            if (v.minArgs < 1)
                continue;
            const QStringList args = wordsFor(v, v.minArgs - 1);
            const Outcome o = run(args);
            QVERIFY2(o.code == CtlApp::kExitUsage, qPrintable(args.join(u' ') + u": "_s + o.err));
            QVERIFY2(o.out.isEmpty(), qPrintable(args.join(u' ') + u": "_s + o.out));
            ++checked;
        }
        QVERIFY(checked > 20);
        // The same for the verbs whose argument the command checks itself.
        for (const QStringList &args :
             {QStringList{u"secret"_s, u"set"_s}, QStringList{u"export"_s, u"postfix"_s},
              QStringList{u"queue"_s, u"delete"_s}, QStringList{u"verify"_s}}) {
            const Outcome o = run(args);
            QVERIFY2(o.code == CtlApp::kExitUsage, qPrintable(args.join(u' ') + u": "_s + o.err));
            QVERIFY(o.out.isEmpty());
        }
    }

    void jsonOnlyWhereTheTableSaysSo()
    {
        for (const CtlVerb &v : CtlApp::verbs()) {
            const QStringList args = wordsFor(v, v.minArgs) << u"--json"_s;
            const Outcome o = run(args);
            const QString what = args.join(u' ') + u": "_s + o.err;
            if (v.json != CtlVerb::Json::Listing) {
                QVERIFY2(o.code == CtlApp::kExitUsage, qPrintable(what));
                QVERIFY2(o.out.isEmpty(), qPrintable(what + o.out));
                QVERIFY2(o.err.contains(u"--json"_s), qPrintable(what));
                continue;
            }
            // Taken: whatever the outcome (no relay runs, nothing to check),
            // not a usage error, and stdout is JSON (an array, an object or
            // JSON Lines), possibly none when there is nothing to list.
            QVERIFY2(o.code != CtlApp::kExitUsage, qPrintable(what));
            QVERIFY2(!o.err.contains(u"--json"_s), qPrintable(what));
            if (o.out.trimmed().isEmpty())
                continue;
            QJsonParseError whole{};
            QJsonParseError firstLine{};
            QJsonDocument::fromJson(o.out.toUtf8(), &whole);
            QJsonDocument::fromJson(o.out.section(u'\n', 0, 0).toUtf8(), &firstLine);
            QVERIFY2(whole.error == QJsonParseError::NoError || firstLine.error == QJsonParseError::NoError,
                     qPrintable(what + u" printed "_s + o.out));
        }
    }
};

QTEST_GUILESS_MAIN(TestCtlVerbs)
#include "tst_ctlverbs.moc"
