// The spool's body files (schema step 5, docs/architecture.md "Storage"): a
// large message's body is linked from the session's spill file into
// <spool>/data/<message id> before the commit, read back in chunks, removed
// with its message; files no row names are removed when the engine opens the
// spool; a spool of version 4 opens with its queued mail intact.
#include "relaycore/message/bodyfile.h"
#include "spooltest.h"

#include <QFileInfo>

#include <sys/stat.h>

using namespace mailroute;
using namespace mailroute::testing;

namespace {

const QByteArray kHead = "Subject: large\r\nFrom: a@warmsushi.example\r\n\r\n";

// A body of `lines` lines, some starting with '.', with 8-bit octets.
QByteArray largeBody(int lines)
{
    QByteArray out;
    for (int i = 0; i < lines; ++i) {
        if (i % 7 == 0)
            out += '.';
        out +=
            "line " + QByteArray::number(i) + " caf\xc3\xa9 " + QByteArray(60, char('a' + i % 26)) + "\r\n";
    }
    return out;
}

std::shared_ptr<BodyFile> spill(const QString &spoolDir, const QByteArray &bytes)
{
    QString error;
    auto f = BodyFile::create(Spool::incomingDirectory(spoolDir), &error);
    if (!f)
        qWarning("%s", qPrintable(error));
    // In pieces, as a session writes it.
    for (qsizetype at = 0; f && at < bytes.size(); at += 10000)
        f->append(bytes.constData() + at, qMin<qsizetype>(10000, bytes.size() - at));
    if (f)
        f->finish();
    return f;
}

int modeOf(const QString &path)
{
    struct stat st
    {};
    return ::stat(QFile::encodeName(path).constData(), &st) == 0 ? int(st.st_mode & 0777) : -1;
}

QStringList filesIn(const QString &dir)
{
    return QDir(dir).entryList(QDir::Files | QDir::Hidden | QDir::System);
}

} // namespace

class tst_SpoolFiles : public QObject
{
    Q_OBJECT

private slots:
    void largeMessageIsLinkedAndReadBack()
    {
        QTemporaryDir tmp;
        Spool spool(tmp.path());
        QVERIFY(spool.open());
        QCOMPARE(modeOf(Spool::incomingDirectory(tmp.path())), 0700);
        QCOMPARE(modeOf(Spool::dataDirectory(tmp.path())), 0700);
        const QByteArray bodyBytes = largeBody(20000); // about 1.6 MB
        QString spillPath;
        qint64 id = 0;
        {
            IncomingMessage in = message(kHead);
            auto file = spill(tmp.path(), bodyBytes);
            QVERIFY(file);
            spillPath = file->path();
            QCOMPARE(modeOf(spillPath), 0600);
            in.body = file;
            const auto stored = spool.store({in, message(body(2))});
            QVERIFY2(stored, qPrintable(stored.error));
            id = stored->first().id;
            QCOMPARE(stored->first().size, kHead.size() + bodyBytes.size());
            QCOMPARE(stored->at(1).size, body(2).size());
        }
        // The session's spill file went with its last reference; the spool's copy stays.
        QVERIFY(!QFileInfo::exists(spillPath));
        const QString stored = Spool::dataDirectory(tmp.path()) + u'/' + QString::number(id);
        QVERIFY(QFileInfo::exists(stored));
        QCOMPARE(filesIn(Spool::dataDirectory(tmp.path())).size(), 1); // the small message has none

        const auto content = spool.content(id);
        QVERIFY2(content, qPrintable(content.error));
        QCOMPARE(content->head, kHead);
        QVERIFY(content->body);
        QCOMPARE(content->body->size(), bodyBytes.size());
        QCOMPARE(content->body->readAll(), bodyBytes);
        QCOMPARE(*spool.data(id), kHead + bodyBytes);
        // Chunks of at most the buffer size, in order.
        QByteArray chunks;
        int pieces = 0;
        QVERIFY(content->body->forEachChunk([&](const char *s, qsizetype n) {
            ++pieces;
            chunks.append(s, n);
            return n <= BodyFile::kBufferSize;
        }));
        QCOMPARE(chunks, bodyBytes);
        QVERIFY(pieces > 1);

        // Delivered: the message and its file go in the same step.
        const auto queued = spool.loadQueued();
        QVERIFY(queued);
        QList<RecipientUpdate> updates;
        for (const QueuedMessage &m : *queued) {
            RecipientUpdate u;
            u.messageId = m.id;
            u.recipientId = m.recipients.first().id;
            u.status = RecipientStatus::Delivered;
            updates << u;
        }
        QVERIFY(spool.update(updates));
        QVERIFY(!QFileInfo::exists(stored));
        QVERIFY(!spool.content(id));
    }

    void deletedMessageLosesItsFile()
    {
        QTemporaryDir tmp;
        Spool spool(tmp.path());
        QVERIFY(spool.open());
        IncomingMessage in = message(kHead);
        in.body = spill(tmp.path(), largeBody(5000));
        const auto stored = spool.store({in});
        QVERIFY(stored);
        QCOMPARE(filesIn(Spool::dataDirectory(tmp.path())).size(), 1);
        QVERIFY(spool.deleteMessage(stored->first().queueId));
        QCOMPARE(filesIn(Spool::dataDirectory(tmp.path())), QStringList());
    }

    // A batch that fails (here a duplicate queue id) stores nothing and
    // leaves no body file behind.
    void failedBatchLeavesNoFile()
    {
        QTemporaryDir tmp;
        Spool spool(tmp.path());
        QVERIFY(spool.open());
        const QString queueId = spool.reserveQueueId();
        IncomingMessage first = message(kHead);
        first.meta.queueId = queueId;
        first.body = spill(tmp.path(), largeBody(5000));
        IncomingMessage second = message(body(2));
        second.meta.queueId = queueId;
        QVERIFY(!spool.store({first, second}));
        QCOMPARE(filesIn(Spool::dataDirectory(tmp.path())), QStringList());
        QCOMPARE(*spool.messageCount(), 0);
    }

    // What a crash leaves (a body linked by a transaction that never
    // committed, spill files of sessions that were cut off) is removed when
    // the engine opens the spool; the queued message's body stays.
    void openRemovesOrphans()
    {
        QTemporaryDir tmp;
        qint64 id = 0;
        const QByteArray bodyBytes = largeBody(3000);
        {
            Spool spool(tmp.path());
            QVERIFY(spool.open());
            IncomingMessage in = message(kHead);
            in.body = spill(tmp.path(), bodyBytes);
            const auto stored = spool.store({in});
            QVERIFY(stored);
            id = stored->first().id;
        }
        const QString data = Spool::dataDirectory(tmp.path());
        const QString incoming = Spool::incomingDirectory(tmp.path());
        const QStringList leftOvers{data + u"/"_s + QString::number(id + 1), incoming + u"/spill-AbCdEf"_s};
        for (const QString &path : leftOvers) {
            QFile f(path);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write("left over");
        }
        {
            // An Admin (mailroutectl, the console) removes nothing.
            Spool admin(tmp.path(), Spool::Role::Admin);
            QVERIFY(admin.open());
            QCOMPARE(filesIn(data).size(), 2);
            QCOMPARE(filesIn(incoming).size(), 1);
        }
        Spool spool(tmp.path());
        QVERIFY(spool.open());
        QCOMPARE(filesIn(data), QStringList{QString::number(id)});
        QCOMPARE(filesIn(incoming), QStringList());
        QCOMPARE(*spool.data(id), kHead + bodyBytes);
    }

    // Schema step 5: a spool of version 4 with queued mail opens, is
    // upgraded, and its messages read as before (whole, in the database).
    void version4SpoolKeepsItsMail()
    {
        QTemporaryDir tmp;
        QList<qint64> ids;
        {
            Spool spool(tmp.path());
            QVERIFY(spool.open());
            const auto stored = spool.store({message(body(1)), message(body(2))});
            QVERIFY(stored);
            for (const QueuedMessage &m : *stored)
                ids << m.id;
        }
        {
            RawDb raw(QDir(tmp.path()).filePath(u"spool.db"_s));
            QVERIFY(raw.exec(u"ALTER TABLE contents DROP COLUMN body_size"_s));
            QVERIFY(raw.exec(u"UPDATE meta SET value = 4 WHERE key = 'schema_version'"_s));
        }
        QDir(Spool::dataDirectory(tmp.path())).removeRecursively();
        QDir(Spool::incomingDirectory(tmp.path())).removeRecursively();
        Spool spool(tmp.path());
        const Status opened = spool.open();
        QVERIFY2(opened, qPrintable(opened.error));
        const auto queued = spool.loadQueued();
        QVERIFY(queued);
        QCOMPARE(queued->size(), 2);
        QCOMPARE(*spool.data(ids.at(0)), body(1));
        QCOMPARE(*spool.data(ids.at(1)), body(2));
        QVERIFY(!spool.content(ids.at(0))->body);
        RawDb raw(QDir(tmp.path()).filePath(u"spool.db"_s));
        QCOMPARE(raw.scalar(u"SELECT value FROM meta WHERE key = 'schema_version'"_s).toInt(), 5);
    }
};

QTEST_GUILESS_MAIN(tst_SpoolFiles)
#include "tst_spoolfiles.moc"
