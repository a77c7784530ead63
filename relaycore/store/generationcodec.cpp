#include "relaycore/store/generationcodec.h"

#include "relaycore/config/settingsmigration.h"

#include <QString>

#include <algorithm>
#include <cstring>
#include <utility>

namespace mailroute {

namespace {

constexpr char kMagic[4] = {'M', 'R', 'G', 'S'};
// 2: each route also carries its TLS policy. Format 1 blobs (older builds)
// still decode, their routes without a policy of their own.
// 3: DKIM keys after the routes. Format 1 and 2 blobs decode without keys.
// 4: migration waves after the DKIM keys. Older blobs decode without waves.
constexpr quint8 kFormat = 4;
constexpr qsizetype kHeaderSize = 6;

class Writer
{
public:
    explicit Writer(qsizetype expected) { m_buf.reserve(expected); }

    void varint(quint64 v)
    {
        while (v >= 0x80) {
            m_buf.append(static_cast<char>((v & 0x7f) | 0x80));
            v >>= 7;
        }
        m_buf.append(static_cast<char>(v));
    }

    void str(const QString &s)
    {
        // Addresses are nearly always ASCII (domains are stored in ACE), so skip
        // the UTF-8 encoder and its temporary QByteArray for them.
        const qsizetype n = s.size();
        const QChar *p = s.constData();
        bool ascii = true;
        for (qsizetype i = 0; i < n; ++i) {
            if (p[i].unicode() >= 0x80) {
                ascii = false;
                break;
            }
        }
        if (!ascii) {
            const QByteArray utf8 = s.toUtf8();
            varint(static_cast<quint64>(utf8.size()));
            m_buf.append(utf8);
            return;
        }
        varint(static_cast<quint64>(n));
        const qsizetype at = m_buf.size();
        m_buf.resize(at + n);
        char *out = m_buf.data() + at;
        for (qsizetype i = 0; i < n; ++i)
            out[i] = static_cast<char>(p[i].unicode());
    }

    QByteArray take() { return std::move(m_buf); }

private:
    QByteArray m_buf;
};

class Reader
{
public:
    explicit Reader(const QByteArray &body)
        : m_p(reinterpret_cast<const uchar *>(body.constData())), m_end(m_p + body.size())
    {}

    bool ok() const { return m_ok; }
    bool atEnd() const { return m_p == m_end; }
    qsizetype remaining() const { return m_end - m_p; }

    quint64 varint()
    {
        quint64 v = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            if (m_p == m_end)
                return fail();
            const uchar b = *m_p++;
            v |= static_cast<quint64>(b & 0x7f) << shift;
            if (!(b & 0x80))
                return v;
        }
        return fail();
    }

    // A count of entries of at least `minEntryBytes` each: bounded by what is
    // left, so a damaged count cannot make us reserve gigabytes.
    qsizetype count(qsizetype minEntryBytes)
    {
        const quint64 n = varint();
        if (!m_ok || n > static_cast<quint64>(remaining() / minEntryBytes))
            return static_cast<qsizetype>(fail());
        return static_cast<qsizetype>(n);
    }

    QString str()
    {
        const quint64 n = varint();
        if (!m_ok || n > static_cast<quint64>(remaining())) {
            fail();
            return {};
        }
        const auto len = static_cast<qsizetype>(n);
        QString s = QString::fromUtf8(reinterpret_cast<const char *>(m_p), len);
        m_p += len;
        return s;
    }

private:
    quint64 fail()
    {
        m_ok = false;
        m_p = m_end;
        return 0;
    }

    const uchar *m_p;
    const uchar *m_end;
    bool m_ok = true;
};

// waveCount { name area at expire flags userCount {str str} outboundCount {str str} }
// at, expire: varint seconds since the epoch (UTC), expire 0: none;
// flags: bit 0 withOutbound, bit 1 applyAnyway.
void encodeWaves(Writer &w, const QList<Wave> &waves)
{
    w.varint(static_cast<quint64>(waves.size()));
    for (const Wave &wave : waves) {
        w.str(wave.name);
        w.str(areaKey(wave.area));
        w.varint(static_cast<quint64>(std::max<qint64>(0, wave.at.toSecsSinceEpoch())));
        w.varint(wave.expire.isValid()
                     ? static_cast<quint64>(std::max<qint64>(0, wave.expire.toSecsSinceEpoch()))
                     : 0);
        w.varint((wave.withOutbound ? 1u : 0u) | (wave.applyAnyway ? 2u : 0u));
        for (const QList<WaveMapping> *list : {&wave.users, &wave.outbound}) {
            w.varint(static_cast<quint64>(list->size()));
            for (const WaveMapping &m : *list) {
                w.str(m.source);
                w.str(m.target);
            }
        }
    }
}

bool decodeWaves(Reader &r, QList<Wave> &waves)
{
    const qsizetype count = r.count(7);
    for (qsizetype i = 0; i < count && r.ok(); ++i) {
        Wave wave;
        wave.name = r.str();
        const std::optional<Area> area = areaFromKey(r.str());
        wave.at = QDateTime::fromSecsSinceEpoch(static_cast<qint64>(r.varint()), Qt::UTC);
        const auto expire = static_cast<qint64>(r.varint());
        if (expire > 0)
            wave.expire = QDateTime::fromSecsSinceEpoch(expire, Qt::UTC);
        const quint64 flags = r.varint();
        wave.withOutbound = flags & 1u;
        wave.applyAnyway = flags & 2u;
        for (QList<WaveMapping> *list : {&wave.users, &wave.outbound}) {
            const qsizetype n = r.count(2);
            list->reserve(n);
            for (qsizetype j = 0; j < n && r.ok(); ++j) {
                WaveMapping m;
                m.source = r.str();
                m.target = r.str();
                list->append(std::move(m));
            }
        }
        if (!r.ok())
            break;
        if (!area)
            return false;
        wave.area = *area;
        waves.append(std::move(wave));
    }
    return true;
}

template <typename Pair> qsizetype pairChars(const QList<Pair> &list)
{
    qsizetype n = 0;
    for (const Pair &p : list)
        n += p.source.size() + p.target.size() + 2;
    return n;
}

} // namespace

int GenerationCodec::formatVersion()
{
    return kFormat;
}

QByteArray GenerationCodec::encode(const ConfigData &config, Compression compression)
{
    qsizetype expected = 64;
    for (const AreaConfig &a : config.areas)
        expected += pairChars(a.domains) + pairChars(a.users) + 8;
    for (auto it = config.settings.cbegin(); it != config.settings.cend(); ++it)
        expected += it.key().size() + it.value().size() + 2;
    for (const TransportRoute &r : config.routes)
        expected += r.domain.size() + r.nextHop.size() + 10;
    for (const DkimKey &k : config.dkimKeys)
        expected += k.domain.size() + k.selector.size() + k.keyFile.size() + k.publicKey.size() + 40;

    Writer w(expected);
    w.varint(static_cast<quint64>(config.areas.size()));
    for (const AreaConfig &a : config.areas) {
        w.varint(static_cast<quint64>(a.domains.size()));
        for (const DomainMapping &m : a.domains) {
            w.str(m.source);
            w.str(m.target);
        }
        w.varint(static_cast<quint64>(a.users.size()));
        for (const UserMapping &m : a.users) {
            w.str(m.source);
            w.str(m.target);
        }
    }
    w.varint(static_cast<quint64>(config.settings.size()));
    for (auto it = config.settings.cbegin(); it != config.settings.cend(); ++it) {
        w.str(it.key());
        w.str(it.value());
    }
    w.varint(static_cast<quint64>(config.routes.size()));
    for (const TransportRoute &r : config.routes) {
        w.str(r.domain);
        w.str(r.nextHop);
        w.str(r.tls ? tlsPolicyName(*r.tls) : QString());
    }
    w.varint(static_cast<quint64>(config.dkimKeys.size()));
    for (const DkimKey &k : config.dkimKeys) {
        w.str(k.domain);
        w.str(k.selector);
        w.str(dkimAlgorithmName(k.algorithm));
        w.str(dkimKeyStateName(k.state));
        w.str(k.keyFile);
        w.str(k.publicKey);
        w.varint(static_cast<quint64>(std::max<qint64>(0, k.created)));
        w.varint(static_cast<quint64>(std::max<qint64>(0, k.retiredAt)));
    }
    encodeWaves(w, config.waves);
    QByteArray body = w.take();
    // Level 1: a million addresses shrink about fourfold already, and higher
    // levels cost several times the CPU for a few percent more.
    if (compression == Compression::Zlib)
        body = qCompress(body, 1);

    QByteArray blob;
    blob.reserve(kHeaderSize + body.size());
    blob.append(kMagic, sizeof kMagic);
    blob.append(static_cast<char>(kFormat));
    blob.append(static_cast<char>(compression));
    blob.append(body);
    return blob;
}

namespace {

// The header checked and the body uncompressed, with the blob's format.
Result<std::pair<quint8, QByteArray>> unpack(const QByteArray &blob)
{
    using R = Result<std::pair<quint8, QByteArray>>;
    if (blob.size() < kHeaderSize || std::memcmp(blob.constData(), kMagic, sizeof kMagic) != 0)
        return R::failure(QStringLiteral("not a MailRoute configuration snapshot"));
    const auto format = static_cast<quint8>(blob.at(4));
    if (format > kFormat)
        return R::failure(
            QStringLiteral("configuration snapshot format %1 is newer than this build knows (%2)")
                .arg(format)
                .arg(kFormat));
    if (format == 0)
        return R::failure(QStringLiteral("configuration snapshot format 0 is invalid"));
    const auto compression = static_cast<quint8>(blob.at(5));
    QByteArray body;
    if (compression == static_cast<quint8>(GenerationCodec::Compression::None)) {
        body = blob.mid(kHeaderSize);
    } else if (compression == static_cast<quint8>(GenerationCodec::Compression::Zlib)) {
        body = qUncompress(reinterpret_cast<const uchar *>(blob.constData()) + kHeaderSize,
                           blob.size() - kHeaderSize);
        if (body.isEmpty())
            return R::failure(QStringLiteral("configuration snapshot is damaged (cannot decompress)"));
    } else {
        return R::failure(
            QStringLiteral("configuration snapshot uses an unknown compression (%1)").arg(compression));
    }
    return R::success({format, std::move(body)});
}

} // namespace

bool GenerationCodec::mentions(const QByteArray &blob, const QByteArray &needle)
{
    const auto unpacked = unpack(blob);
    return !unpacked.ok() || unpacked->second.contains(needle);
}

Result<ConfigData> GenerationCodec::decode(const QByteArray &blob)
{
    using R = Result<ConfigData>;
    auto unpacked = unpack(blob);
    if (!unpacked)
        return R::failure(unpacked.error);
    const quint8 format = unpacked->first;
    const QByteArray body = std::move(unpacked->second);

    Reader r(body);
    ConfigData config;
    const qsizetype areaCount = r.count(2);
    if (r.ok() && areaCount != kAreaCount)
        return R::failure(QStringLiteral("configuration snapshot has %1 areas, expected %2")
                              .arg(areaCount)
                              .arg(kAreaCount));
    for (AreaConfig &a : config.areas) {
        const qsizetype domains = r.count(2);
        a.domains.reserve(domains);
        for (qsizetype i = 0; i < domains && r.ok(); ++i) {
            DomainMapping m;
            m.source = r.str();
            m.target = r.str();
            a.domains.append(std::move(m));
        }
        const qsizetype users = r.count(2);
        a.users.reserve(users);
        for (qsizetype i = 0; i < users && r.ok(); ++i) {
            UserMapping m;
            m.source = r.str();
            m.target = r.str();
            a.users.append(std::move(m));
        }
    }
    const qsizetype settings = r.count(2);
    for (qsizetype i = 0; i < settings && r.ok(); ++i) {
        QString key = r.str();
        config.settings.insert(key, r.str());
    }
    // A generation pushed before a setting was retired reads as it would be
    // pushed today (rewrite.headers -> rewrite.recipient_headers/sender_headers).
    SettingsMigration::migrate(config.settings);
    const bool routeTls = format >= 2;
    const qsizetype routes = r.count(routeTls ? 3 : 2);
    config.routes.reserve(routes);
    for (qsizetype i = 0; i < routes && r.ok(); ++i) {
        TransportRoute t;
        t.domain = r.str();
        t.nextHop = r.str();
        if (routeTls) {
            const QString tls = r.str();
            if (!tls.isEmpty()) {
                t.tls = parseTlsPolicy(tls);
                if (!t.tls)
                    return R::failure(
                        QStringLiteral("configuration snapshot is damaged (unknown TLS policy)"));
            }
        }
        config.routes.append(std::move(t));
    }
    if (format >= 3) {
        const qsizetype keys = r.count(8);
        config.dkimKeys.reserve(keys);
        for (qsizetype i = 0; i < keys && r.ok(); ++i) {
            DkimKey k;
            k.domain = r.str();
            k.selector = r.str();
            const auto algorithm = parseDkimAlgorithm(r.str());
            const auto state = parseDkimKeyState(r.str());
            k.keyFile = r.str();
            k.publicKey = r.str();
            k.created = static_cast<qint64>(r.varint());
            k.retiredAt = static_cast<qint64>(r.varint());
            if (!r.ok())
                break;
            if (!algorithm || !state)
                return R::failure(
                    QStringLiteral("configuration snapshot is damaged (unknown DKIM algorithm or state)"));
            k.algorithm = *algorithm;
            k.state = *state;
            config.dkimKeys.append(std::move(k));
        }
    }
    if (format >= 4 && r.ok() && !decodeWaves(r, config.waves))
        return R::failure(QStringLiteral("configuration snapshot is damaged (unknown wave area)"));
    if (!r.ok())
        return R::failure(QStringLiteral("configuration snapshot is damaged (truncated)"));
    if (!r.atEnd())
        return R::failure(QStringLiteral("configuration snapshot is damaged (trailing data)"));
    return R::success(std::move(config));
}

} // namespace mailroute
