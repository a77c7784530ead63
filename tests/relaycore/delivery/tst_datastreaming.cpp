// Delivery of a large message from its body file (docs/architecture.md
// "Storage"): the dot-stuffing done in pieces gives exactly encodeData() of
// the whole, however the text is cut (a CR at a chunk's end, a '.' at a
// chunk's start); the session sends the header section at 354, then the
// body chunk by chunk, the final dot with the last one, SIZE counting both.
#include "relaycore/delivery/smtpclientsession.h"
#include "relaycore/message/bodyfile.h"

#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QTest>

using namespace mailroute;

namespace {

const QByteArray kHead = "Subject: big\r\nTo: <a@dry.test>\r\n\r\n";

QByteArray awkwardText(int lines, quint32 seed)
{
    QRandomGenerator gen(seed);
    const QByteArrayList pieces{".", "..",       "\r\n",  "\r",     "\n",
                                "a", "\xc3\xa9", ".\r\n", "x\r\n.", "\r\n.\r\n"};
    QByteArray out;
    for (int i = 0; i < lines; ++i) {
        out += pieces.at(gen.bounded(pieces.size()));
        out += QByteArray(int(gen.bounded(80)), 'z');
    }
    return out;
}

} // namespace

class TestDataStreaming : public QObject
{
    Q_OBJECT

private slots:
    void piecesEqualWhole_data()
    {
        QTest::addColumn<quint32>("seed");
        for (quint32 s = 1; s <= 40; ++s)
            QTest::addRow("seed %u", s) << s;
    }

    void piecesEqualWhole()
    {
        QFETCH(quint32, seed);
        const QByteArray text = awkwardText(400, seed);
        QRandomGenerator gen(seed * 7919);
        SmtpClientSession::DotStuffer stuffer;
        QByteArray out;
        for (qsizetype p = 0; p < text.size();) {
            const qsizetype n = qMin<qsizetype>(text.size() - p, 1 + gen.bounded(12));
            stuffer.feed(QByteArrayView(text).sliced(p, n), out);
            p += n;
        }
        stuffer.finish(out);
        QCOMPARE(out, SmtpClientSession::encodeData(text));
    }

    void largeMessageIsSentInChunks()
    {
        QTemporaryDir tmp;
        QString error;
        auto file = BodyFile::create(tmp.path(), &error);
        QVERIFY2(file, qPrintable(error));
        QByteArray body;
        for (int i = 0; body.size() < 1024 * 1024; ++i)
            body += (i % 3 == 0 ? "." : "") + QByteArray::number(i) + " \xc3\xa9 line\r\n";
        QVERIFY(file->append(body.constData(), body.size()));
        QVERIFY(file->finish());

        DeliveryRequest r;
        r.messageId = 7;
        r.queueId = QStringLiteral("Q7");
        r.sender = QStringLiteral("s@warm.test");
        r.recipients = {QStringLiteral("a@dry.test")};
        r.recipientIds = {100};
        r.data = kHead;
        r.body = file;
        QCOMPARE(r.size(), kHead.size() + body.size());
        SmtpClientSession::Options o;
        o.heloName = QStringLiteral("relay.test");
        o.peerName = QStringLiteral("mx.test");
        SmtpClientSession session(o, r);
        session.feed("220 mx.test\r\n");
        const SmtpClientActions group =
            session.feed("250-mx.test\r\n250-SIZE 100000000\r\n250 PIPELINING\r\n");
        QCOMPARE(group.size(), 1);
        QVERIFY2(group.first().bytes.contains(QByteArray(" SIZE=" + QByteArray::number(r.size()))),
                 group.first().bytes.constData());
        session.feed("250 ok\r\n250 ok\r\n");
        const SmtpClientActions head = session.feed("354 go\r\n");
        QCOMPARE(head.size(), 1);
        QCOMPARE(head.first().bytes, kHead);
        QVERIFY(session.hasDataToStream());
        QVERIFY(!session.endOfDataSent());
        QByteArray wire = head.first().bytes;
        int chunks = 0;
        while (session.hasDataToStream() && chunks < 1000) {
            const QByteArray c = session.nextDataChunk();
            QVERIFY(!c.isEmpty());
            QVERIFY(c.size() <= 2 * BodyFile::kBufferSize);
            wire += c;
            ++chunks;
        }
        QVERIFY(chunks > 10);
        QVERIFY(session.endOfDataSent());
        QCOMPARE(wire, SmtpClientSession::encodeData(QByteArray(kHead + body)));
        const SmtpClientActions done = session.feed("250 2.0.0 queued\r\n");
        QVERIFY(!done.isEmpty());
        QCOMPARE(done.last().kind, SmtpClientAction::Kind::Finished);
        QCOMPARE(done.last().outcome.recipients.first().verdict, DeliveryVerdict::Delivered);
    }
};

QTEST_GUILESS_MAIN(TestDataStreaming)
#include "tst_datastreaming.moc"
