// DkimBodyHasher: the body hash over pieces is dkimBodyHash() of the whole
// (which the dkimpy oracle tests pin down), for both canonicalisations,
// with and without l=, however the body is cut: a CRLF split between two
// pieces, trailing empty lines, WSP runs, bare CR and LF, an empty body.
#include "relaycore/dkim/dkimbodyhasher.h"

#include <QRandomGenerator>
#include <QTest>

using namespace mailroute;

class TestDkimBodyHasher : public QObject
{
    Q_OBJECT

private slots:
    void piecesEqualWhole_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<quint32>("seed");
        QTest::newRow("empty") << QByteArray() << 1u;
        QTest::newRow("one CRLF") << QByteArray("\r\n") << 2u;
        QTest::newRow("empty lines at the end") << QByteArray("a\r\n\r\n\r\n") << 3u;
        QTest::newRow("no final CRLF") << QByteArray("a \t b  \r\nc") << 4u;
        QTest::newRow("only WSP lines") << QByteArray(" \r\n\t\r\n") << 5u;
        const QByteArrayList pieces{"\r\n",  "\r", "\n",  " ",        "\t",
                                    "  \t ", "a",  "xyz", "\xc3\xa9", "\r\n\r\n"};
        for (quint32 s = 10; s < 70; ++s) {
            QRandomGenerator gen(s);
            QByteArray body;
            const int n = int(gen.bounded(400));
            for (int i = 0; i < n; ++i)
                body += pieces.at(gen.bounded(pieces.size()));
            QTest::addRow("random %u", s) << body << s;
        }
    }

    void piecesEqualWhole()
    {
        QFETCH(QByteArray, body);
        QFETCH(quint32, seed);
        for (DkimCanonicalization c : {DkimCanonicalization::Relaxed, DkimCanonicalization::Simple}) {
            for (qint64 limit : {qint64(-1), qint64(0), qint64(17), qint64(body.size() / 2)}) {
                qint64 wholeLength = 0;
                const QByteArray whole = dkimBodyHash(c, body, limit, &wholeLength);
                QRandomGenerator gen(seed);
                DkimBodyHasher hasher(c, limit);
                for (qsizetype p = 0; p < body.size();) {
                    const qsizetype n = qMin<qsizetype>(body.size() - p, 1 + gen.bounded(9));
                    hasher.add(QByteArrayView(body).sliced(p, n));
                    p += n;
                }
                qint64 length = 0;
                QCOMPARE(hasher.finish(&length), whole);
                QCOMPARE(length, wholeLength);
            }
        }
    }
};

QTEST_GUILESS_MAIN(TestDkimBodyHasher)
#include "tst_dkimbodyhasher.moc"
