// GenerationCodec: the stored form of a pushed configuration must give back
// exactly what went in, and refuse (never misread) anything damaged.
#include "relaycore/store/generationcodec.h"

#include <QTest>

using namespace Qt::StringLiterals;
using namespace mailroute;

namespace {

ConfigData sampleConfig()
{
    ConfigData c;
    c.area(Area::Relay).domains = {{u"warmsushi.com"_s, u"drypizza.com"_s}};
    c.area(Area::Inbound).domains = {{u"a.example"_s, u"b.example"_s},
                                     {u"xn--bcher-kva.example"_s, u"c.example"_s}};
    c.area(Area::Inbound).users = {{u"Bob@warmsushi.com"_s, u"bob.owen@drypizza.com"_s},
                                   {u"jörg@warmsushi.com"_s, u"joerg@drypizza.com"_s},
                                   {u"chloé@a.example"_s, u"東京@b.example"_s}};
    c.area(Area::Outbound).users = {{u"x@y.example"_s, u"z@w.example"_s}};
    c.settings = {{u"relay.hostname"_s, u"mx.example.org"_s},
                  {u"limits.message_size"_s, u"36700160"_s},
                  {u"relay.postmaster"_s, QString()}};
    c.routes = {{u"drypizza.com"_s, u"smtp.drypizza.com:25"_s},
                {u"b.example"_s, u"[2001:db8::1]:2525"_s, TlsPolicy::Encrypt},
                {u"c.example"_s, u"mx.c.example"_s, TlsPolicy::Verify}};
    c.dkimKeys = {{u"drypizza.com"_s, u"mr20261101"_s, DkimAlgorithm::Rsa2048, DkimKeyState::Retired,
                   u"/var/lib/mailroute/dkim/drypizza.com.mr20261101.pem"_s, u"MIIBIjANBgkq"_s, 1761955200000,
                   1765000000000},
                  {u"drypizza.com"_s, u"mr20261206"_s, DkimAlgorithm::Rsa3072, DkimKeyState::Active,
                   u"/var/lib/mailroute/dkim/drypizza.com.mr20261206.pem"_s, u"MIIBojANBgkq"_s, 1764979200000,
                   0},
                  {u"b.example"_s, u"ed"_s, DkimAlgorithm::Ed25519, DkimKeyState::Pending,
                   u"/var/lib/mailroute/dkim/b.example.ed.pem"_s,
                   u"11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo="_s, 1764979200001, 0}};
    return c;
}

// qUncompress warns about corrupt input; that is the input these tests feed
// it on purpose, so those warnings are swallowed and every other one kept.
class QuietUncompress final
{
public:
    QuietUncompress() { s_previous = qInstallMessageHandler(handler); }
    ~QuietUncompress() { qInstallMessageHandler(s_previous); }
    Q_DISABLE_COPY_MOVE(QuietUncompress)

private:
    static void handler(QtMsgType type, const QMessageLogContext &ctx, const QString &msg)
    {
        if (msg.startsWith(u"qUncompress"_s))
            return;
        s_previous(type, ctx, msg);
    }
    static inline QtMessageHandler s_previous = nullptr;
};

} // namespace

class TstGenerationCodec : public QObject
{
    Q_OBJECT

private slots:
    void roundTrip_data()
    {
        QTest::addColumn<int>("compression");
        QTest::addColumn<bool>("empty");
        QTest::newRow("zlib") << int(GenerationCodec::Compression::Zlib) << false;
        QTest::newRow("none") << int(GenerationCodec::Compression::None) << false;
        QTest::newRow("empty zlib") << int(GenerationCodec::Compression::Zlib) << true;
        QTest::newRow("empty none") << int(GenerationCodec::Compression::None) << true;
    }

    void roundTrip()
    {
        QFETCH(int, compression);
        QFETCH(bool, empty);
        const ConfigData in = empty ? ConfigData{} : sampleConfig();
        const QByteArray blob = GenerationCodec::encode(in, GenerationCodec::Compression(compression));
        QVERIFY(blob.startsWith("MRGS"));
        QCOMPARE(int(quint8(blob.at(4))), GenerationCodec::formatVersion());
        QCOMPARE(int(quint8(blob.at(5))), compression);
        const Result<ConfigData> out = GenerationCodec::decode(blob);
        QVERIFY2(out.ok(), qPrintable(out.error));
        QVERIFY(*out == in);
        // Field by field too, so a broken operator== cannot hide a loss.
        QCOMPARE(out->area(Area::Inbound).users, in.area(Area::Inbound).users);
        QCOMPARE(out->settings, in.settings);
        QCOMPARE(out->routes, in.routes);
        QCOMPARE(out->dkimKeys, in.dkimKeys);
    }

    void largeListIsCompact()
    {
        ConfigData in;
        QList<UserMapping> &users = in.area(Area::Inbound).users;
        qsizetype chars = 0;
        for (int i = 0; i < 100000; ++i) {
            users.append({u"user%1@warmsushi.com"_s.arg(i), u"first.last%1@drypizza.com"_s.arg(i)});
            chars += users.last().source.size() + users.last().target.size();
        }
        const QByteArray raw = GenerationCodec::encode(in, GenerationCodec::Compression::None);
        const QByteArray packed = GenerationCodec::encode(in);
        // One byte per ASCII character plus a length byte each: not UTF-16.
        QVERIFY2(raw.size() <= chars + 2 * 100000 + 32, qPrintable(QString::number(raw.size())));
        QVERIFY2(packed.size() < raw.size() / 3, qPrintable(QString::number(packed.size())));
        const Result<ConfigData> out = GenerationCodec::decode(packed);
        QVERIFY2(out.ok(), qPrintable(out.error));
        QCOMPARE(out->area(Area::Inbound).users.size(), users.size());
        QVERIFY(*out == in);
    }

    void truncatedIsRefused_data()
    {
        QTest::addColumn<int>("compression");
        QTest::newRow("zlib") << int(GenerationCodec::Compression::Zlib);
        QTest::newRow("none") << int(GenerationCodec::Compression::None);
    }

    void truncatedIsRefused()
    {
        QFETCH(int, compression);
        const QByteArray blob =
            GenerationCodec::encode(sampleConfig(), GenerationCodec::Compression(compression));
        const QuietUncompress quiet;
        for (qsizetype cut = 0; cut < blob.size(); ++cut) {
            const Result<ConfigData> r = GenerationCodec::decode(blob.left(cut));
            QVERIFY2(!r.ok(), qPrintable(u"accepted a blob cut at %1 of %2"_s.arg(cut).arg(blob.size())));
            QVERIFY(!r.error.isEmpty());
        }
    }

    void damagedIsRefused_data()
    {
        QTest::addColumn<QByteArray>("blob");
        QTest::addColumn<QString>("reason");
        const QByteArray good = GenerationCodec::encode(sampleConfig(), GenerationCodec::Compression::None);
        QByteArray badMagic = good;
        badMagic[0] = 'X';
        QByteArray newer = good;
        newer[4] = char(GenerationCodec::formatVersion() + 1);
        QByteArray unknownCompression = good;
        unknownCompression[5] = char(7);
        QByteArray badZlib = GenerationCodec::encode(sampleConfig());
        badZlib[badZlib.size() / 2] = char(badZlib[badZlib.size() / 2] ^ 0x5a);
        QTest::newRow("magic") << badMagic << u"not a MailRoute"_s;
        QTest::newRow("newer format") << newer << u"newer"_s;
        QTest::newRow("compression") << unknownCompression << u"unknown compression"_s;
        QTest::newRow("trailing data") << QByteArray(good + "x") << u"trailing"_s;
        QTest::newRow("corrupt zlib") << badZlib << u"damaged"_s;
        QTest::newRow("empty") << QByteArray() << u"not a MailRoute"_s;
    }

    void damagedIsRefused()
    {
        QFETCH(QByteArray, blob);
        QFETCH(QString, reason);
        const QuietUncompress quiet;
        const Result<ConfigData> r = GenerationCodec::decode(blob);
        QVERIFY(!r.ok());
        QVERIFY2(r.error.contains(reason), qPrintable(r.error));
    }

    void formatOneStillDecodes()
    {
        // Written by builds before routes had a TLS policy (format 1): one
        // route a.example -> [192.0.2.1]:2525. Frozen bytes, not re-encoded.
        const QByteArray v1 = QByteArray::fromHex(
            "4d524753010003000000000000000109612e6578616d706c65105b3139322e302e322e315d3a32353235");
        const Result<ConfigData> r = GenerationCodec::decode(v1);
        QVERIFY2(r.ok(), qPrintable(r.error));
        QCOMPARE(r->routes, QList<TransportRoute>({{u"a.example"_s, u"[192.0.2.1]:2525"_s}}));
        QVERIFY(!r->routes.first().tls.has_value());
    }

    void formatTwoStillDecodes()
    {
        // Written by builds before DKIM keys (format 2): one route a.example ->
        // [192.0.2.1]:2525 with tls encrypt. Frozen bytes, not re-encoded.
        const QByteArray v2 = QByteArray::fromHex("4d524753020003000000000000000109612e6578616d706c65105b3139"
                                                  "322e302e322e315d3a3235323507656e6372797074");
        const Result<ConfigData> r = GenerationCodec::decode(v2);
        QVERIFY2(r.ok(), qPrintable(r.error));
        QCOMPARE(r->routes,
                 QList<TransportRoute>({{u"a.example"_s, u"[192.0.2.1]:2525"_s, TlsPolicy::Encrypt}}));
        QVERIFY(r->dkimKeys.isEmpty());
    }

    void formatThreeIsFrozen()
    {
        // Format 3 (builds before migration waves): no settings or mappings,
        // one DKIM key. Frozen bytes: they still decode.
        ConfigData c;
        c.dkimKeys = {{u"a.example"_s, u"s1"_s, DkimAlgorithm::Ed25519, DkimKeyState::Pending, u"/k.pem"_s,
                       u"AAAA"_s, 1, 0}};
        const QByteArray v3 = QByteArray::fromHex(
            "4d5247530300030000000000000000010961"
            "2e6578616d706c6502733107656432353531390770656e64696e67062f6b2e70656d04414141410100");
        const Result<ConfigData> r = GenerationCodec::decode(v3);
        QVERIFY2(r.ok(), qPrintable(r.error));
        QCOMPARE(r->dkimKeys, c.dkimKeys);
        QVERIFY(r->waves.isEmpty());
        // Format 4 as this build writes it: the same, then a wave count (0).
        const QByteArray v4 = QByteArray::fromHex(
            "4d5247530400030000000000000000010961"
            "2e6578616d706c6502733107656432353531390770656e64696e67062f6b2e70656d0441414141010000");
        QCOMPARE(GenerationCodec::encode(c, GenerationCodec::Compression::None).toHex(), v4.toHex());
    }

    void formatFourWaveIsFrozen()
    {
        // One wave: name, area, at and expire in seconds, flags, mappings.
        ConfigData c;
        Wave w;
        w.name = u"w1"_s;
        w.at = QDateTime::fromSecsSinceEpoch(1, Qt::UTC);
        w.withOutbound = true;
        w.users = {{u"a@b"_s, u"a@c"_s}};
        w.outbound = {{u"a@c"_s, u"a@b"_s}};
        c.waves = {w};
        const QByteArray v4 = QByteArray::fromHex("4d524753040003000000000000000000"
                                                  "01027731"
                                                  "07696e626f756e64"
                                                  "01"
                                                  "00"
                                                  "01"
                                                  "01"
                                                  "03614062"
                                                  "03614063"
                                                  "01"
                                                  "03614063"
                                                  "03614062");
        QCOMPARE(GenerationCodec::encode(c, GenerationCodec::Compression::None).toHex(), v4.toHex());
        const Result<ConfigData> r = GenerationCodec::decode(v4);
        QVERIFY2(r.ok(), qPrintable(r.error));
        QVERIFY(r->waves == c.waves);
    }

    void mentionsLooksInsideCompressedBodies()
    {
        const QByteArray blob = GenerationCodec::encode(sampleConfig());
        QVERIFY(GenerationCodec::mentions(blob, "/var/lib/mailroute/dkim/b.example.ed.pem"));
        QVERIFY(!GenerationCodec::mentions(blob, "/var/lib/mailroute/dkim/c.example.ed.pem"));
        // Unreadable: say yes, so a caller deciding whether to delete keeps the file.
        QVERIFY(GenerationCodec::mentions("junk", "anything"));
    }

    void unknownDkimStateIsRefused()
    {
        ConfigData c;
        c.dkimKeys = {{u"a.example"_s, u"s1"_s, DkimAlgorithm::Rsa2048, DkimKeyState::Active, u"/k.pem"_s,
                       u"AAAA"_s, 1, 0}};
        QByteArray blob = GenerationCodec::encode(c, GenerationCodec::Compression::None);
        const qsizetype at = blob.lastIndexOf("active");
        QVERIFY(at > 0);
        blob.replace(at, 6, "signer");
        const Result<ConfigData> r = GenerationCodec::decode(blob);
        QVERIFY(!r.ok());
        QVERIFY2(r.error.contains(u"DKIM"_s), qPrintable(r.error));
    }

    void unknownTlsPolicyIsRefused()
    {
        ConfigData c;
        c.routes = {{u"a.example"_s, u"mx.a.example"_s, TlsPolicy::May}};
        QByteArray blob = GenerationCodec::encode(c, GenerationCodec::Compression::None);
        const qsizetype at = blob.lastIndexOf("may");
        QVERIFY(at > 0);
        blob.replace(at, 3, "yes");
        const Result<ConfigData> r = GenerationCodec::decode(blob);
        QVERIFY(!r.ok());
        QVERIFY2(r.error.contains(u"TLS policy"_s), qPrintable(r.error));
    }

    void hugeCountDoesNotAllocate()
    {
        // A varint claiming 2^60 domain mappings in a 20-byte body.
        QByteArray blob("MRGS");
        blob.append(char(GenerationCodec::formatVersion()));
        blob.append(char(0));
        blob.append(char(3));
        blob.append(QByteArray::fromHex("ffffffffffffffff0f"));
        const Result<ConfigData> r = GenerationCodec::decode(blob);
        QVERIFY(!r.ok());
    }
};

QTEST_GUILESS_MAIN(TstGenerationCodec)
#include "tst_generationcodec.moc"
