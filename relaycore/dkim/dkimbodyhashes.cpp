#include "relaycore/dkim/dkimbodyhashes.h"

#include "relaycore/dkim/dkimbodyhasher.h"

#include <QMutexLocker>

namespace mailroute {

DkimBodyHashes::DkimBodyHashes(BodyFilePtr body) : m_body(std::move(body)) {}

QByteArray DkimBodyHashes::hash(const HeaderSection &section, DkimCanonicalization c, qint64 limit,
                                qint64 *canonicalLength)
{
    QMutexLocker lock(&m_mutex);
    const std::pair<int, qint64> key{int(c), limit < 0 ? -1 : limit};
    auto it = m_done.find(key);
    if (it == m_done.end()) {
        const QByteArrayView inMemory = QByteArrayView(section.message()).sliced(section.bodyOffset());
        std::pair<QByteArray, qint64> result{QByteArray(), 0};
        if (!m_body) {
            result.first = dkimBodyHash(c, inMemory, key.second, &result.second);
        } else {
            DkimBodyHasher hasher(c, key.second);
            hasher.add(inMemory);
            const bool read = m_body->forEachChunk([&hasher](const char *s, qsizetype n) {
                hasher.add(QByteArrayView(s, n));
                return true;
            });
            result.first = hasher.finish(&result.second);
            if (!read)
                result.first.clear();
        }
        it = m_done.emplace(key, std::move(result)).first;
    }
    if (canonicalLength)
        *canonicalLength = it->second.second;
    return it->second.first;
}

} // namespace mailroute
