// mailroutectl domains, users and route (docs/behaviour.md "The command
// line (mailroutectl)"): the domain and user mappings of the draft, the user
// list's CSV import and export, and where an address goes. --json of the
// listings as ctl_json.h describes.
#include "app/ctl/ctlapp.h"

#include "app/ctl/ctl_json.h"
#include "relaycore/routing/mailaddress.h"
#include "relaycore/routing/routingsnapshot.h"
#include "relaycore/store/configstore.h"

#include <QFile>

using namespace Qt::StringLiterals;

namespace mailroute {

namespace {

QJsonObject mappingJson(const QString &source, const QString &target)
{
    return QJsonObject{{u"source"_s, source}, {u"target"_s, target}};
}

} // namespace

int CtlApp::domainsList()
{
    if (m_args.has(QStringLiteral("json"))) {
        JsonList list(m_out);
        for (const DomainMapping &m : m_store->domainMappings(*m_area))
            list.add(mappingJson(displayDomain(m.source), displayDomain(m.target)));
        return kExitOk;
    }
    for (const DomainMapping &m : m_store->domainMappings(*m_area))
        m_out << displayDomain(m.source) << '\t' << displayDomain(m.target) << '\n';
    return kExitOk;
}

int CtlApp::domainsAdd()
{
    return exitFor(m_store->addDomainMapping(*m_area, m_positionals.at(0), m_positionals.at(1)));
}

int CtlApp::domainsRemove()
{
    const auto removed = m_store->removeDomainMappings(*m_area, m_positionals);
    return removed.ok() ? kExitOk : fail(removed.error);
}

int CtlApp::usersList()
{
    if (m_args.has(QStringLiteral("json")))
        return exportUsers(); // the same array ("export" may write it to a file)
    // Paged so a million-entry list streams without holding it all twice.
    const qint64 page = 50000;
    for (qint64 offset = 0;; offset += page) {
        const QList<UserMapping> rows = m_store->userMappings(*m_area, offset, page);
        for (const UserMapping &u : rows)
            m_out << u.source << '\t' << u.target << '\n';
        if (rows.size() < page)
            break;
    }
    return kExitOk;
}

int CtlApp::usersAdd()
{
    return exitFor(m_store->addUserMapping(*m_area, m_positionals.at(0), m_positionals.at(1)));
}

int CtlApp::usersRemove()
{
    const auto removed = m_store->removeUserMappings(*m_area, m_positionals);
    return removed.ok() ? kExitOk : fail(removed.error);
}

int CtlApp::usersSample()
{
    m_out << QString::fromUtf8(UserCsvCodec::sample());
    return kExitOk;
}

int CtlApp::importUsers()
{
    QFile file(m_positionals.at(0));
    QByteArray data;
    if (m_positionals.at(0) == QLatin1String("-")) {
        if (!file.open(stdin, QIODevice::ReadOnly))
            return fail(QStringLiteral("cannot read standard input"));
        data = file.readAll();
    } else {
        if (!file.open(QIODevice::ReadOnly))
            return fail(QStringLiteral("cannot read %1: %2").arg(file.fileName(), file.errorString()));
        data = file.readAll();
    }
    if (!openStore())
        return kExitError;
    CsvParseOptions opts;
    opts.allowEmpty = m_args.has(QStringLiteral("allow-empty"));
    const ImportPlan plan = m_store->planImport(*m_area, data, opts);
    if (!plan.ok()) {
        for (const CsvError &e : plan.parsed.errors) {
            if (e.line > 0)
                m_err << file.fileName() << ':' << e.line << ": " << e.reason << '\n';
            else
                m_err << file.fileName() << ": " << e.reason << '\n';
        }
        return fail(QStringLiteral("%1 refused: %2 error(s); the user list is unchanged")
                        .arg(file.fileName())
                        .arg(plan.parsed.errors.size()));
    }
    const Status st = m_store->applyImport(plan);
    if (!st.ok())
        return fail(st.error);
    m_out << "imported " << plan.parsed.rows.size() << " users into " << areaKey(*m_area) << " ("
          << plan.added << " new, " << plan.changed << " changed, " << plan.removed << " removed, "
          << plan.unchanged << " unchanged)\n";
    return kExitOk;
}

int CtlApp::exportUsers()
{
    if (m_args.has(QStringLiteral("json"))) {
        // --json: "list" and "export" write the same array, "export" to FILE
        // (stdout when - or none).
        QFile file;
        QTextStream fileStream;
        const QString target = m_positionals.value(0, u"-"_s);
        QTextStream *out = &m_out;
        if (target != QLatin1String("-")) {
            file.setFileName(target);
            if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate))
                return fail(u"cannot write %1: %2"_s.arg(target, file.errorString()));
            fileStream.setDevice(&file);
            out = &fileStream;
        }
        {
            JsonList list(*out);
            const qint64 page = 50000;
            for (qint64 offset = 0;; offset += page) {
                const QList<UserMapping> rows = m_store->userMappings(*m_area, offset, page);
                for (const UserMapping &u : rows)
                    list.add(mappingJson(u.source, u.target));
                if (rows.size() < page)
                    break;
            }
        }
        if (file.isOpen() && (fileStream.status() != QTextStream::Ok || !file.flush()))
            return fail(u"cannot write %1: %2"_s.arg(target, file.errorString()));
        return kExitOk;
    }
    const QByteArray csv = m_store->exportUsers(*m_area);
    const QString target = m_positionals.value(0, QStringLiteral("-"));
    if (target == QLatin1String("-")) {
        m_out.flush();
        QFile out;
        if (!out.open(stdout, QIODevice::WriteOnly) || out.write(csv) != csv.size())
            return fail(QStringLiteral("cannot write to standard output"));
        return kExitOk;
    }
    QFile out(target);
    if (!out.open(QIODevice::WriteOnly | QIODevice::Truncate) || out.write(csv) != csv.size() || !out.flush())
        return fail(QStringLiteral("cannot write %1: %2").arg(target, out.errorString()));
    return kExitOk;
}

int CtlApp::cmdRoute()
{
    const auto area = m_area;
    const auto address = parseMailbox(m_positionals.at(0));
    if (!address.ok())
        return fail(QStringLiteral("invalid address '%1': %2").arg(m_positionals.at(0), address.error));
    if (!openStore())
        return kExitError;
    qint64 generation = 0;
    std::optional<ConfigData> chosen = draftOrPushed(&generation);
    if (!chosen)
        return kExitError;
    const ConfigData &config = *chosen;
    const auto snapshot = RoutingSnapshot::compile(config, generation);
    const RouteResult r = snapshot->route(*area, *address);
    m_out << r.address.toString() << '\t' << matchKindKey(r.kind) << '\n';
    return kExitOk;
}

} // namespace mailroute
