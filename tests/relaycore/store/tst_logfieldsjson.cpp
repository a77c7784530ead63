// The message log's fields column (relaycore/store/logfieldsjson.h): the text
// messageFieldsJson writes is Qt's QJsonDocument text of the same map,
// character for character, for the events the engine logs, for every value
// type and for random keys and values (escapes, non-ASCII, surrogates).
#include "relaycore/store/logfieldsjson.h"

#include <QRandomGenerator>
#include <QStringList>
#include <QTest>

#include <cmath>
#include <limits>

using namespace mailroute;
using namespace Qt::StringLiterals;

class TestLogFieldsJson : public QObject
{
    Q_OBJECT

private slots:
    void engineEvents_data();
    void engineEvents();
    void everyValueType_data();
    void everyValueType();
    void randomMapsMatchQt();
};

void TestLogFieldsJson::engineEvents_data()
{
    QTest::addColumn<QVariantMap>("fields");
    QTest::addColumn<QString>("expected");
    QTest::newRow("received") << QVariantMap{{u"session"_s, quint64(7)},
                                             {u"client"_s, u"127.0.0.1"_s},
                                             {u"helo"_s, u"bench.invalid"_s},
                                             {u"from"_s, u"sender@warmsushi.example"_s},
                                             {u"to"_s, u"a@warmsushi.example, b@warmsushi.example"_s},
                                             {u"size"_s, qsizetype(4406)},
                                             {u"generation"_s, qint64(1)},
                                             {u"tls"_s, false}}
                              << u"{\"client\":\"127.0.0.1\",\"from\":\"sender@warmsushi.example\","
                                 "\"generation\":1,\"helo\":\"bench.invalid\",\"session\":7,\"size\":4406,"
                                 "\"tls\":false,\"to\":\"a@warmsushi.example, b@warmsushi.example\"}"_s;
    QTest::newRow("delivered")
        << QVariantMap{{u"to"_s, u"rcpt@drypizza.example"_s},
                       {u"relay"_s, u"[127.0.0.1]:24991"_s},
                       {u"reply"_s, u"250 2.0.0 Ok"_s},
                       {u"delay"_s, 0.032}}
        << u"{\"delay\":0.032,\"relay\":\"[127.0.0.1]:24991\",\"reply\":\"250 2.0.0 Ok\","
           "\"to\":\"rcpt@drypizza.example\"}"_s;
    QTest::newRow("empty") << QVariantMap{} << u"{}"_s;
    QTest::newRow("escapes")
        << QVariantMap{{u"reason"_s, u"say \"hi\"\\ \t\n\r\b\f\x01\x1f caf\u00e9 \u20ac"_s}}
        << u"{\"reason\":\"say \\\"hi\\\"\\\\ \\t\\n\\r\\b\\f\\u0001\\u001f caf\u00e9 \u20ac\"}"_s;
}

void TestLogFieldsJson::engineEvents()
{
    QFETCH(QVariantMap, fields);
    QFETCH(QString, expected);
    QCOMPARE(messageFieldsJsonByQt(fields), expected); // the stored text as it was
    QCOMPARE(messageFieldsJson(fields), expected);
}

void TestLogFieldsJson::everyValueType_data()
{
    QTest::addColumn<QVariant>("value");
    const double inf = std::numeric_limits<double>::infinity();
    QTest::newRow("null string") << QVariant(QString());
    QTest::newRow("null QVariant string") << QVariant(QMetaType(QMetaType::QString));
    QTest::newRow("invalid") << QVariant();
    QTest::newRow("true") << QVariant(true);
    QTest::newRow("int") << QVariant(-42);
    QTest::newRow("uint") << QVariant(4000000000u);
    QTest::newRow("short") << QVariant::fromValue(short(-7));
    QTest::newRow("ushort") << QVariant::fromValue(ushort(65535));
    QTest::newRow("long") << QVariant::fromValue(-5000000000L);
    QTest::newRow("ulong") << QVariant::fromValue(9000000000UL);
    QTest::newRow("ulong max") << QVariant::fromValue(~0UL);
    QTest::newRow("char") << QVariant::fromValue('x');
    QTest::newRow("qsizetype") << QVariant::fromValue(qsizetype(4406));
    QTest::newRow("longlong min") << QVariant(std::numeric_limits<qint64>::min());
    QTest::newRow("ulonglong max") << QVariant(std::numeric_limits<quint64>::max());
    QTest::newRow("ulonglong 2^63") << QVariant(quint64(1) << 63);
    QTest::newRow("double 0") << QVariant(0.0);
    QTest::newRow("double -0") << QVariant(-0.0);
    QTest::newRow("double 3") << QVariant(3.0);
    QTest::newRow("double 1e20") << QVariant(1e20);
    QTest::newRow("double 1e-7") << QVariant(1e-7);
    QTest::newRow("double 123456.789") << QVariant(123456.789);
    QTest::newRow("double 1.5e300") << QVariant(1.5e300);
    QTest::newRow("double inf") << QVariant(inf);
    QTest::newRow("double nan") << QVariant(std::nan(""));
    QTest::newRow("float") << QVariant(0.25f);
    QTest::newRow("string list") << QVariant(QStringList{u"a"_s, u"b"_s});
    QTest::newRow("nested map") << QVariant(QVariantMap{{u"k"_s, 1}});
    QTest::newRow("byte array") << QVariant(QByteArray("bytes"));
    QTest::newRow("date time") << QVariant(QDateTime::fromMSecsSinceEpoch(0, Qt::UTC));
    QTest::newRow("lone high surrogate") << QVariant(QString(QChar(0xd800)) + u"x"_s);
    QTest::newRow("lone low surrogate") << QVariant(QString(QChar(0xdc00)));
    QTest::newRow("pair") << QVariant(u"\U0001F600 smile"_s);
    QTest::newRow("del and nbsp") << QVariant(u"\x7f\u00a0\u2028\ufffe"_s);
}

void TestLogFieldsJson::everyValueType()
{
    QFETCH(QVariant, value);
    const QVariantMap fields{{u"a"_s, 1}, {u"value"_s, value}, {u"z"_s, u"last"_s}};
    QCOMPARE(messageFieldsJson(fields), messageFieldsJsonByQt(fields));
}

void TestLogFieldsJson::randomMapsMatchQt()
{
    QRandomGenerator rng(17);
    const auto randomText = [&rng](int maxLength) {
        QString s;
        const int n = int(rng.bounded(quint32(maxLength + 1)));
        for (int i = 0; i < n; ++i) {
            const quint32 kind = rng.bounded(10u);
            if (kind < 5)
                s += QChar(char16_t(0x20 + rng.bounded(0x5fu))); // printable ASCII, quotes and backslash
            else if (kind < 6)
                s += QChar(char16_t(rng.bounded(0x20u))); // control characters
            else if (kind < 8)
                s += QChar(char16_t(0x80 + rng.bounded(0xd800u - 0x80u))); // below the surrogates
            else if (kind < 9)
                s += QChar(char16_t(0xe000 + rng.bounded(0x2000u))); // above them
            else
                s += QChar(char16_t(0xd800 + rng.bounded(0x800u))); // surrogates, paired or not
        }
        return s;
    };
    for (int round = 0; round < 3000; ++round) {
        QVariantMap fields;
        const int n = int(rng.bounded(8u));
        for (int i = 0; i < n; ++i) {
            QVariant v;
            switch (rng.bounded(7u)) {
            case 0: v = randomText(20); break;
            case 1: v = rng.bounded(2u) == 1; break;
            case 2: v = qint64(rng.generate64()); break;
            case 3: v = quint64(rng.generate64()); break;
            case 4: v = double(rng.bounded(100000u)) / double(1 + rng.bounded(1000u)); break;
            case 5: v = rng.generateDouble() * std::pow(10.0, double(int(rng.bounded(40u)) - 20)); break;
            default: v = int(rng.bounded(2000u)) - 1000; break;
            }
            fields.insert(rng.bounded(4u) == 0 ? randomText(6) : u"key%1"_s.arg(rng.bounded(20u)), v);
        }
        const QString mine = messageFieldsJson(fields);
        const QString qt = messageFieldsJsonByQt(fields);
        if (mine != qt)
            QFAIL(qPrintable(u"round %1: %2 != %3"_s.arg(round).arg(mine, qt)));
    }
}

QTEST_APPLESS_MAIN(TestLogFieldsJson)
#include "tst_logfieldsjson.moc"
