#include "relaycore/dkimadmin/dkimkeyring.h"

#include "relaycore/dkim/dkimkeys.h"
#include "relaycore/routing/dkimselector.h"
#include "relaycore/routing/mailaddress.h"
#include "relaycore/store/configstore.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>

#include <algorithm>

namespace mailroute {

namespace {

// Enough for several rotations on one day; a loop bound, not a policy.
constexpr int kMaxSelectorsPerDay = 100;

Result<QString> domainArg(const QString &text)
{
    const Result<QString> d = normalizeDomain(QStringView(text).trimmed());
    if (!d)
        return Result<QString>::failure(QStringLiteral("invalid domain \"%1\": %2").arg(text, d.error));
    return d;
}

} // namespace

DkimKeyring::DkimKeyring(ConfigStore &store)
    : m_store(store), m_directory(keyDirectory(QFileInfo(store.path()).absoluteFilePath()))
{}

QString DkimKeyring::keyDirectory(const QString &databasePath)
{
    return QFileInfo(databasePath).absoluteDir().filePath(QStringLiteral("dkim"));
}

QString DkimKeyring::keyFilePath(const QString &domain, const QString &selector) const
{
    // Both validated before they get here: no '/', no "..", no blanks.
    return QDir(m_directory).filePath(domain + QLatin1Char('.') + selector + QStringLiteral(".pem"));
}

QString DkimKeyring::defaultSelector(const QDateTime &now)
{
    return QStringLiteral("mr") + now.toUTC().toString(QStringLiteral("yyyyMMdd"));
}

Result<QString> DkimKeyring::uniqueSelector(const QString &domain, const QList<DkimKey> &existing) const
{
    const QString base = defaultSelector();
    for (int n = 1; n <= kMaxSelectorsPerDay; ++n) {
        const QString candidate = n == 1 ? base : base + QLatin1Char('-') + QString::number(n);
        const bool taken = std::any_of(existing.cbegin(), existing.cend(),
                                       [&](const DkimKey &k) { return k.selector == candidate; }) ||
                           QFileInfo::exists(keyFilePath(domain, candidate));
        if (!taken)
            return Result<QString>::success(candidate);
    }
    return Result<QString>::failure(
        QStringLiteral("%1 has %2 keys named after today already; give a --selector")
            .arg(domain)
            .arg(kMaxSelectorsPerDay));
}

Result<DkimKey> DkimKeyring::generate(const QString &domain, const QString &selector, DkimAlgorithm algorithm)
{
    using R = Result<DkimKey>;
    const Result<QString> dom = domainArg(domain);
    if (!dom)
        return R::failure(dom.error);
    const QList<DkimKey> existing = m_store.dkimKeys(*dom);
    QString sel;
    if (selector.trimmed().isEmpty()) {
        const Result<QString> unique = uniqueSelector(*dom, existing);
        if (!unique)
            return R::failure(unique.error);
        sel = *unique;
    } else {
        const Result<QString> given = normalizeDkimSelector(selector);
        if (!given)
            return R::failure(given.error);
        sel = *given;
    }
    if (std::any_of(existing.cbegin(), existing.cend(), [&](const DkimKey &k) { return k.selector == sel; }))
        return R::failure(
            QStringLiteral("%1 already has a DKIM key with selector %2; choose another selector")
                .arg(*dom, sel));
    const QString path = keyFilePath(*dom, sel);
    if (QFileInfo::exists(path))
        return R::failure(
            QStringLiteral("the key file %1 exists already (a removed key that an earlier generation "
                           "still uses); choose another selector")
                .arg(path));

    const Result<GeneratedDkimKey> generated = generateDkimKey(algorithm);
    if (!generated)
        return R::failure(generated.error);
    if (const Status written = writeDkimPrivateKey(path, generated->privatePem); !written)
        return R::failure(written.error);

    DkimKey key;
    key.domain = *dom;
    key.selector = sel;
    key.algorithm = algorithm;
    const bool hasActive = std::any_of(existing.cbegin(), existing.cend(),
                                       [](const DkimKey &k) { return k.state == DkimKeyState::Active; });
    key.state = hasActive ? DkimKeyState::Pending : DkimKeyState::Active;
    key.keyFile = path;
    key.publicKey = generated->publicKey;
    key.created = QDateTime::currentMSecsSinceEpoch();
    if (const Status added = m_store.addDkimKey(key); !added) {
        // Ours to delete only while it is still the key this call wrote.
        QFile written(path);
        if (written.open(QIODevice::ReadOnly) && written.readAll() == generated->privatePem) {
            written.close();
            QFile::remove(path);
        }
        return R::failure(added.error);
    }
    return R::success(key);
}

Result<DkimKey> DkimKeyring::rotate(const QString &domain)
{
    using R = Result<DkimKey>;
    const Result<QString> dom = domainArg(domain);
    if (!dom)
        return R::failure(dom.error);
    const QList<DkimKey> existing = m_store.dkimKeys(*dom);
    const auto active = std::find_if(existing.cbegin(), existing.cend(),
                                     [](const DkimKey &k) { return k.state == DkimKeyState::Active; });
    if (active == existing.cend())
        return R::failure(
            QStringLiteral("%1 has no active DKIM key to rotate; create one with: mailroutectl dkim "
                           "generate %1")
                .arg(*dom));
    const auto pending = std::find_if(existing.cbegin(), existing.cend(),
                                      [](const DkimKey &k) { return k.state == DkimKeyState::Pending; });
    if (pending != existing.cend())
        return R::failure(
            QStringLiteral("a rotation of %1 is under way already: key %2 waits for its record in DNS "
                           "(publish it, then push; or remove it)")
                .arg(*dom, pending->selector));
    return generate(*dom, {}, active->algorithm);
}

Result<DkimRemoval> DkimKeyring::remove(const QString &domain, const QString &selector)
{
    using R = Result<DkimRemoval>;
    const Result<QString> dom = domainArg(domain);
    if (!dom)
        return R::failure(dom.error);
    const Result<QString> sel = normalizeDkimSelector(selector);
    if (!sel)
        return R::failure(sel.error);
    const QList<DkimKey> existing = m_store.dkimKeys(*dom);
    const auto it = std::find_if(existing.cbegin(), existing.cend(),
                                 [&](const DkimKey &k) { return k.selector == *sel; });
    if (it == existing.cend())
        return R::failure(QStringLiteral("%1 has no DKIM key with selector %2").arg(*dom, *sel));
    DkimRemoval removal;
    removal.key = *it;
    if (const Status removed = m_store.removeDkimKey(*dom, *sel); !removed)
        return R::failure(removed.error);
    // A generation that names the file can become active again by rollback.
    const Result<bool> used = m_store.generationsUseDkimKeyFile(removal.key.keyFile);
    if (used && !*used)
        removal.fileDeleted = QFile::remove(removal.key.keyFile) || !QFileInfo::exists(removal.key.keyFile);
    return R::success(removal);
}

Result<QList<DkimKey>> DkimKeyring::publishedKeys(const QString &domain, const QString &selector) const
{
    using R = Result<QList<DkimKey>>;
    const Result<QString> dom = domainArg(domain);
    if (!dom)
        return R::failure(dom.error);
    QString sel;
    if (!selector.isEmpty()) {
        const Result<QString> given = normalizeDkimSelector(selector);
        if (!given)
            return R::failure(given.error);
        sel = *given;
    }
    QList<DkimKey> out;
    for (const DkimKey &k : m_store.dkimKeys(*dom)) {
        if (sel.isEmpty() ? k.state != DkimKeyState::Retired : k.selector == sel)
            out << k;
    }
    if (out.isEmpty())
        return R::failure(sel.isEmpty()
                              ? QStringLiteral("%1 has no active or pending DKIM key").arg(*dom)
                              : QStringLiteral("%1 has no DKIM key with selector %2").arg(*dom, sel));
    return R::success(out);
}

QList<DkimKey> DkimKeyring::pendingKeys(const QList<DkimKey> &keys)
{
    QList<DkimKey> out;
    for (const DkimKey &k : keys) {
        if (k.state == DkimKeyState::Pending)
            out << k;
    }
    return out;
}

QList<DkimPromotion> DkimKeyring::promote(const QList<DkimRecordStatus> &checked)
{
    QList<DkimPromotion> out;
    for (const DkimRecordStatus &s : checked) {
        DkimPromotion p;
        p.status = s;
        const QString who = s.key.domain + QLatin1Char(' ') + s.key.selector;
        switch (s.outcome) {
        case DkimRecordStatus::Outcome::Published: {
            const Status st = m_store.setDkimKeyState(s.key.domain, s.key.selector, DkimKeyState::Active);
            p.activated = st.ok();
            p.message =
                st.ok() ? QStringLiteral("DKIM %1: record %2 is published; the key signs from this push, the "
                                         "previous key is retired")
                              .arg(who, s.name)
                        : QStringLiteral("DKIM %1: %2").arg(who, st.error);
            break;
        }
        case DkimRecordStatus::Outcome::Missing:
        case DkimRecordStatus::Outcome::Different:
            p.message =
                QStringLiteral("DKIM %1: the record %2 is not published yet (%3); the key stays pending "
                               "(mailroutectl dkim record %4 --selector %5)")
                    .arg(who, s.name, s.detail, s.key.domain, s.key.selector);
            break;
        case DkimRecordStatus::Outcome::Failure:
            p.message = QStringLiteral("DKIM %1: cannot look up %2 (%3); the key stays pending")
                            .arg(who, s.name, s.detail);
            break;
        }
        out << p;
    }
    return out;
}

QString DkimKeyring::recordValue(const DkimKey &key)
{
    return dkimRecordValue(key.algorithm, key.publicKey);
}

QString DkimKeyring::recordLine(const DkimKey &key)
{
    return dkimRecordName(key) + QLatin1Char('\t') + recordValue(key);
}

QString DkimKeyring::zoneLine(const DkimKey &key)
{
    QStringList quoted;
    for (const QString &part : dkimZoneStrings(recordValue(key)))
        quoted << QLatin1Char('"') + part + QLatin1Char('"');
    return dkimRecordName(key) + QStringLiteral(". IN TXT ( ") + quoted.join(QLatin1Char(' ')) +
           QStringLiteral(" )");
}

} // namespace mailroute
