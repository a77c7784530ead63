// SmtpSession with a spill directory (docs/architecture.md "Storage"): a
// message above BodyFile::kSpillThreshold keeps only its header section in
// memory and writes its body to a file as it arrives, in buffered writes;
// the message handed over is that header section plus the file, equal to
// what was sent after dot-unstuffing; a refused or abandoned transaction
// leaves no file; a header section that does not end stays in memory.
#include "relaycore/message/bodyfile.h"
#include "relaycore/smtp/smtpreply.h"
#include "relaycore/smtp/smtpsession.h"

#include "sessionharness.h"
#include "smtpsessionfixture.h"

#include <QDir>
#include <QFileInfo>
#include <QTemporaryDir>
#include <QTest>

#include <sys/stat.h>

using namespace mailroute;
using namespace mailroute::testing;

namespace {

const QByteArray kHeader = "Subject: big\r\nFrom: <alice@example.org>\r\n\r\n";

// `lines` lines of body as the client sends them (stuffed) and as the
// message is (unstuffed): every fifth line starts with a '.', 8-bit text.
void makeBody(int lines, QByteArray *wire, QByteArray *text)
{
    for (int i = 0; i < lines; ++i) {
        QByteArray line =
            "line " + QByteArray::number(i) + " \xe2\x82\xac " + QByteArray(64, char('a' + i % 26));
        if (i % 5 == 0)
            line.prepend('.');
        *text += line + "\r\n";
        *wire += (line.startsWith('.') ? QByteArray("." + line) : line) + "\r\n";
    }
}

SessionConfig spillConfig(const QString &directory, qint64 messageSize = 20 * 1024 * 1024)
{
    SessionConfig c = configFor(QString());
    c.limits.messageSize = messageSize;
    c.spillDirectory = directory;
    return c;
}

QStringList files(const QString &dir)
{
    return QDir(dir).entryList(QDir::Files | QDir::Hidden | QDir::System);
}

qint64 onDisk(const QString &dir)
{
    qint64 n = 0;
    for (const QString &f : files(dir))
        n += QFileInfo(QDir(dir).filePath(f)).size();
    return n;
}

void feedInPackets(SessionHarness &h, const QByteArray &bytes, qsizetype packet = 1460)
{
    for (qsizetype p = 0; p < bytes.size(); p += packet)
        h.feed(bytes.mid(p, packet));
}

} // namespace

class TestSmtpSessionSpill : public QObject
{
    Q_OBJECT

private slots:
    void largeBodyGoesToAFileAsItArrives()
    {
        QTemporaryDir tmp;
        const QString dir = tmp.filePath(QStringLiteral("incoming"));
        QByteArray wire;
        QByteArray text;
        makeBody(40000, &wire, &text); // about 3.4 MB
        SessionHarness h(spillConfig(dir), kClient, fixedPolicy(std::make_shared<ScriptedPolicy>()));
        h.start();
        h.feed(EHLO + MAIL + RCPT + DATA + kHeader);
        const qsizetype half = wire.size() / 2;
        feedInPackets(h, wire.left(half));
        // Half-way: one file, mode 0600 in a 0700 folder, holding all but
        // at most one buffer of what arrived beyond the threshold.
        QCOMPARE(files(dir).size(), 1);
        struct stat st
        {};
        QCOMPARE(::stat(QFile::encodeName(dir).constData(), &st), 0);
        QCOMPARE(int(st.st_mode & 0777), 0700);
        QCOMPARE(::stat(QFile::encodeName(QDir(dir).filePath(files(dir).first())).constData(), &st), 0);
        QCOMPARE(int(st.st_mode & 0777), 0600);
        QVERIFY2(onDisk(dir) >= half - half / 5 - BodyFile::kBufferSize - BodyFile::kSpillThreshold,
                 qPrintable(QString::number(onDisk(dir))));
        feedInPackets(h, wire.mid(half), 65536);
        h.feed(END);
        QCOMPARE(h.messages.size(), 1);
        const Transaction &tx = h.messages.first().transaction;
        // In memory: the header section only, its buffer given back.
        QCOMPARE(tx.data, kHeader);
        QVERIFY(tx.data.capacity() < 4096);
        QVERIFY(tx.body);
        QCOMPARE(tx.size(), kHeader.size() + text.size());
        QCOMPARE(tx.body->readAll(), text);
        QCOMPARE(wholeMessage(tx.data, tx.body), kHeader + text);
        QCOMPARE(h.tokens.last(), QStringLiteral("250:2.0.0"));
        // The file lives as long as the message does.
        QCOMPARE(files(dir).size(), 1);
        h.messages.clear();
        QCOMPARE(files(dir), QStringList());
    }

    void smallMessageStaysInMemory()
    {
        QTemporaryDir tmp;
        const QString dir = tmp.filePath(QStringLiteral("incoming"));
        SessionHarness h(spillConfig(dir), kClient, fixedPolicy(std::make_shared<ScriptedPolicy>()));
        h.start();
        h.feed(EHLO + MAIL + RCPT + DATA + TEXT + END);
        QCOMPARE(h.messages.size(), 1);
        QCOMPARE(h.messages.first().transaction.data, TEXT);
        QVERIFY(!h.messages.first().transaction.body);
        QVERIFY(!QFileInfo::exists(dir)); // never created for small mail
    }

    // A header section that has not ended by the threshold keeps the
    // message in memory (it must be whole for the header rewriting).
    void unendedHeaderSectionStaysInMemory()
    {
        QTemporaryDir tmp;
        const QString dir = tmp.filePath(QStringLiteral("incoming"));
        QByteArray text;
        while (text.size() < BodyFile::kSpillThreshold + 50000)
            text += "X-Filler: " + QByteArray(70, 'f') + "\r\n";
        SessionHarness h(spillConfig(dir), kClient, fixedPolicy(std::make_shared<ScriptedPolicy>()));
        h.start();
        h.feed(EHLO + MAIL + RCPT + DATA);
        feedInPackets(h, text);
        h.feed(END);
        QCOMPARE(h.messages.size(), 1);
        QCOMPARE(h.messages.first().transaction.data, text);
        QVERIFY(!h.messages.first().transaction.body);
        QCOMPARE(files(dir), QStringList());
    }

    // Too big, a bare LF, a policy refusal at the end of DATA, a spool
    // refusal, a dropped connection: no file is left behind.
    void refusedOrAbandonedLeavesNoFile()
    {
        QTemporaryDir tmp;
        const QString dir = tmp.filePath(QStringLiteral("incoming"));
        QByteArray wire;
        QByteArray text;
        makeBody(20000, &wire, &text); // about 1.7 MB
        {
            SessionHarness h(spillConfig(dir, 1024 * 1024), kClient,
                             fixedPolicy(std::make_shared<ScriptedPolicy>()));
            h.start();
            h.feed(EHLO + MAIL + RCPT + DATA + kHeader);
            feedInPackets(h, wire.left(600 * 1024), 65536);
            QCOMPARE(files(dir).size(), 1);
            feedInPackets(h, wire.mid(600 * 1024), 65536);
            QCOMPARE(files(dir), QStringList()); // dropped as soon as it is too big
            h.feed(END);
            QCOMPARE(h.tokens.last(), QStringLiteral("552:5.3.4"));
            QVERIFY(h.messages.isEmpty());
        }
        {
            SessionHarness h(spillConfig(dir), kClient, fixedPolicy(std::make_shared<ScriptedPolicy>()));
            h.start();
            h.feed(EHLO + MAIL + RCPT + DATA + kHeader);
            feedInPackets(h, wire.left(600 * 1024), 65536);
            QCOMPARE(files(dir).size(), 1);
            h.feed("bare\nLF\r\n");
            QCOMPARE(files(dir), QStringList());
            h.feed(END);
            QVERIFY(h.messages.isEmpty());
        }
        {
            SessionHarness h(spillConfig(dir), kClient, fixedPolicy(std::make_shared<ScriptedPolicy>()));
            h.start();
            h.feed(EHLO + MAIL + RCPT + DATA + "X-Reject: yes\r\n" + kHeader);
            feedInPackets(h, wire, 65536);
            h.feed(END);
            QCOMPARE(h.tokens.last(), QStringLiteral("550:5.7.1"));
            QCOMPARE(files(dir), QStringList());
        }
        {
            SessionHarness h(spillConfig(dir), kClient, fixedPolicy(std::make_shared<ScriptedPolicy>()),
                             QStringLiteral("P"));
            h.start();
            h.feed(EHLO + MAIL + RCPT + DATA + kHeader);
            feedInPackets(h, wire, 65536);
            h.feed(END);
            QCOMPARE(h.tokens.last(), QStringLiteral("554:5.7.1"));
            h.messages.clear(); // the engine lets go of a refused message
            QCOMPARE(files(dir), QStringList());
        }
        {
            SessionHarness h(spillConfig(dir), kClient, fixedPolicy(std::make_shared<ScriptedPolicy>()));
            h.start();
            h.feed(EHLO + MAIL + RCPT + DATA + kHeader);
            feedInPackets(h, wire.left(600 * 1024), 65536);
            QCOMPARE(files(dir).size(), 1);
        } // the connection is gone mid-DATA
        QCOMPARE(files(dir), QStringList());
    }
};

QTEST_GUILESS_MAIN(TestSmtpSessionSpill)
#include "tst_smtpsessionspill.moc"
