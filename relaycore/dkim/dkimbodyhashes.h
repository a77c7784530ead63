// The body hashes a verifier needs (DKIM-Signature, ARC-Message-Signature),
// each distinct (canonicalization, l=) pair computed once. A message is its
// header section in memory, possibly followed by a large message's body
// file (relaycore/message/bodyfile.h): the file is read in chunks through
// DkimBodyHasher, never whole in memory, on the thread that asks (the one
// that hashed the in-memory body before). One per message; safe to use
// from several threads.
#pragma once

#include "relaycore/dkim/dkimcanonicalization.h"
#include "relaycore/message/bodyfile.h"
#include "relaycore/message/headersection.h"

#include <QByteArray>
#include <QMutex>

#include <map>
#include <utility>

namespace mailroute {

class DkimBodyHashes final
{
public:
    // `body`: the file that follows the message of the sections hashed; null
    // when the message is whole in memory.
    explicit DkimBodyHashes(BodyFilePtr body = nullptr);
    Q_DISABLE_COPY_MOVE(DkimBodyHashes)

    // dkimBodyHash() of the bytes after `section`'s header section followed
    // by the body file; `limit` < 0 for no l=. A file that cannot be read
    // gives an empty hash (which matches no bh=).
    QByteArray hash(const HeaderSection &section, DkimCanonicalization c, qint64 limit,
                    qint64 *canonicalLength);

private:
    BodyFilePtr m_body;
    QMutex m_mutex;
    std::map<std::pair<int, qint64>, std::pair<QByteArray, qint64>> m_done;
};

} // namespace mailroute
