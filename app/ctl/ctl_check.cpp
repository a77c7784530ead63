// mailroutectl check dns [DOMAIN...] | check connector [HOST:PORT] (issue 6
// items 1-2, issue 10 item 5): the Readiness page's checks as a plain table
// (MX, SPF; DKIM, DMARC and the DMARC preview for Outbound targets). Exit status 0 when
// every check is OK or only warns, 1 when one fails, 2 for usage errors. Uses
// the pushed configuration (the draft when nothing is pushed yet) and
// MAILROUTE_NAMESERVER like "serve". Main thread, with its own event loop.
#include "app/ctl/ctlapp.h"

#include "app/ctl/ctl_json.h"

#include "relaycore/config/hostport.h"
#include "relaycore/dns/nameserver.h"
#include "relaycore/readiness/connectorcheck.h"
#include "relaycore/readiness/dnsreadinesscheck.h"
#include "relaycore/readiness/readinessplan.h"
#include "relaycore/routing/mailaddress.h"
#include "relaycore/store/configstore.h"

#include <QEventLoop>

#include <algorithm>

namespace mailroute {

namespace {

using Row = QStringList;

// Columns padded to their widest cell; the last column as it is.
void printTable(QTextStream &out, const QList<Row> &rows)
{
    QList<int> widths;
    for (const Row &row : rows) {
        for (qsizetype i = 0; i + 1 < row.size(); ++i) {
            if (widths.size() <= i)
                widths.append(0);
            widths[i] = std::max(widths[i], int(row.at(i).size()));
        }
    }
    for (const Row &row : rows) {
        QString line;
        for (qsizetype i = 0; i < row.size(); ++i)
            line += i + 1 < row.size() ? row.at(i).leftJustified(widths.at(i) + 2) : row.at(i);
        while (line.endsWith(QLatin1Char(' ')))
            line.chop(1);
        out << line << '\n';
    }
}

// Multi-line details (EHLO replies) continue under their column.
QList<Row> splitDetail(const Row &first)
{
    QList<Row> rows;
    const QStringList lines = first.last().split(QLatin1Char('\n'));
    for (qsizetype i = 0; i < lines.size(); ++i) {
        Row r = i == 0 ? first : Row(first.size(), QString());
        r.last() = lines.at(i);
        rows << r;
    }
    return rows;
}

} // namespace

int CtlApp::cmdCheck()
{
    // dns or connector, and connector's one HOST:PORT at most: checked by the dispatcher (ctl_verbs.cpp).
    const QString what = m_verb;
    const bool dns = what == QLatin1String("dns");
    if (dns && (m_args.hasValue(QStringLiteral("send-to")) || m_args.hasValue(QStringLiteral("from"))))
        return usage(QStringLiteral("--send-to and --from belong to 'check connector'"), m_command);
    if (m_args.hasValue(QStringLiteral("from")) && !m_args.hasValue(QStringLiteral("send-to")))
        return usage(QStringLiteral("--from needs --send-to"), m_command);
    // Bad addresses are usage errors (exit 2), before anything is opened.
    for (const char *option : {"send-to", "from"}) {
        const QString name = QLatin1String(option);
        if (!m_args.hasValue(name))
            continue;
        if (const Result<MailAddress> a = parseMailbox(m_args.value(name)); !a)
            return usage(QStringLiteral("--%1: %2").arg(name, a.error), m_command);
    }
    QList<DomainCheck> named;
    if (dns) {
        const auto parsed = ReadinessPlan::domainsFromArguments(m_positionals);
        if (!parsed.ok())
            return usage(parsed.error, m_command);
        named = *parsed;
    } else if (!m_positionals.isEmpty()) {
        const auto hop = parseHostPort(m_positionals.first());
        if (!hop.ok())
            return usage(QStringLiteral("invalid next hop '%1': %2").arg(m_positionals.first(), hop.error),
                         m_command);
    }
    const QString nameserver = qEnvironmentVariable("MAILROUTE_NAMESERVER").trimmed();
    if (!nameserver.isEmpty()) {
        if (const auto ns = NameServer::parse(nameserver); !ns.ok())
            return fail(QStringLiteral("MAILROUTE_NAMESERVER: %1").arg(ns.error));
    }
    if (!openStore())
        return kExitError;
    ConfigData config;
    if (const auto active = m_store->activeGeneration()) {
        auto pushed = m_store->generationConfig(*active);
        if (!pushed.ok())
            return fail(pushed.error);
        config = std::move(*pushed);
    } else {
        m_err << "mailroutectl: nothing has been pushed yet; checking the draft\n";
        config = m_store->draft();
    }
    // The draft's DKIM keys: a key generated or rotated since the push is
    // checked before the push that starts signing with it.
    config.dkimKeys = m_store->dkimKeys();
    const auto plan = ReadinessPlan::fromConfig(config);
    if (!plan.ok())
        return fail(plan.error);
    QEventLoop loop;
    bool failed = false;
    // --json: the table's rows as a JSON array (ctl_json.h), nothing else on stdout.
    std::optional<JsonList> json;
    if (m_args.has(QStringLiteral("json")))
        json.emplace(m_out);

    if (dns) {
        DnsReadinessCheck check;
        DnsReadinessCheck::Options options;
        options.domains = named.isEmpty() ? plan->domains : plan->withConfiguration(named);
        options.relay = plan->relay;
        options.nameserver = nameserver;
        if (options.domains.isEmpty())
            return fail(
                QStringLiteral("no domains to check: the configuration has no domain mappings; name them: "
                               "mailroutectl check dns DOMAIN..."));
        QList<DomainReadiness> results;
        QObject::connect(&check, &DnsReadinessCheck::finished, &loop, [&](const QList<DomainReadiness> &r) {
            results = r;
            loop.quit();
        });
        check.start(options);
        loop.exec();
        const RelayIdentity &relay = check.relay();
        if (json) {
            auto add = [&](const QString &domain, const ReadinessFinding &f) {
                json->add(QJsonObject{{QStringLiteral("domain"), domain},
                                      {QStringLiteral("check"), f.check},
                                      {QStringLiteral("status"), readinessStatusName(f.status)},
                                      {QStringLiteral("detail"), f.detail},
                                      {QStringLiteral("advice"), f.advice}});
                failed = failed || f.status == ReadinessStatus::Failure;
            };
            for (const ReadinessFinding &f : plan->findings)
                add(QStringLiteral("(relay)"), f);
            for (const DomainReadiness &r : std::as_const(results)) {
                for (const ReadinessFinding &f : r.findings)
                    add(r.domain, f);
            }
            return failed ? kExitError : kExitOk;
        }
        m_out << "relay " << relay.hostname << ": "
              << (relay.addresses.isEmpty() ? QStringLiteral("no address found")
                                            : relay.addressTexts().join(QStringLiteral(", ")))
              << (relay.addressesFromSetting ? " (relay.public_address)" : " (its DNS records)") << "\n\n";
        QList<Row> rows{{QStringLiteral("DOMAIN"), QStringLiteral("CHECK"), QStringLiteral("STATUS"),
                         QStringLiteral("DETAIL")}};
        QStringList advice;
        for (const ReadinessFinding &f : plan->findings) {
            rows << Row{QStringLiteral("(relay)"), f.check, readinessStatusName(f.status), f.detail};
            failed = failed || f.status == ReadinessStatus::Failure;
            if (!f.advice.isEmpty())
                advice << QStringLiteral("(relay) %1: %2").arg(f.check, f.advice);
        }
        for (const DomainReadiness &r : std::as_const(results)) {
            for (const ReadinessFinding &f : r.findings) {
                rows << Row{r.domain, f.check, readinessStatusName(f.status), f.detail};
                failed = failed || f.status == ReadinessStatus::Failure;
                if (!f.advice.isEmpty() && f.status != ReadinessStatus::Ok)
                    advice << QStringLiteral("%1 %2: %3").arg(r.domain, f.check, f.advice);
            }
        }
        printTable(m_out, rows);
        if (!advice.isEmpty()) {
            m_out << "\nWhat to do:\n";
            for (const QString &a : std::as_const(advice))
                m_out << "  " << a << '\n';
        }
        return failed ? kExitError : kExitOk;
    }

    QList<ReadinessHop> hops = plan->hops;
    if (!m_positionals.isEmpty())
        hops = {ReadinessHop{m_positionals.first(), QStringLiteral("given"), plan->defaultTls}};
    if (hops.isEmpty())
        return fail(QStringLiteral("no next hop configured (delivery.smarthost or routes); mail goes by MX: "
                                   "name one: mailroutectl check connector HOST[:PORT]"));
    const QString sendTo = m_args.value(QStringLiteral("send-to"));
    QString from = m_args.value(QStringLiteral("from"));
    if (from.isEmpty())
        from = plan->postmaster.isEmpty() ? QStringLiteral("postmaster@") + plan->relay.hostname
                                          : plan->postmaster;
    ConnectorCheck::Options options;
    options.heloName = plan->relay.hostname;
    options.nameserver = nameserver;
    options.caCertificates = plan->caCertificates;
    ConnectorCheck check(options);
    ConnectorReport report;
    QObject::connect(&check, &ConnectorCheck::finished, &loop, [&](const ConnectorReport &r) {
        report = r;
        loop.quit();
    });
    for (qsizetype i = 0; i < hops.size(); ++i) {
        const ReadinessHop &hop = hops.at(i);
        const Status started = sendTo.isEmpty()
                                   ? check.checkConnectivity(hop.hop, hop.role, hop.tls)
                                   : check.sendTestEmail(hop.hop, from, sendTo, hop.role, hop.tls);
        if (!started.ok())
            return fail(started.error);
        loop.exec();
        failed = failed || report.status() == ReadinessStatus::Failure;
        if (json) {
            for (const ConnectorStep &st : std::as_const(report.steps))
                json->add(QJsonObject{{QStringLiteral("next_hop"), hop.hop},
                                      {QStringLiteral("role"), hop.role},
                                      {QStringLiteral("tls_policy"), tlsPolicyName(hop.tls)},
                                      {QStringLiteral("task"), st.task},
                                      {QStringLiteral("status"), readinessStatusName(st.status)},
                                      {QStringLiteral("detail"), st.detail}});
            continue;
        }
        m_out << (i == 0 ? "" : "\n") << "NEXT HOP " << hop.hop << " (" << hop.role << ", TLS policy "
              << tlsPolicyName(hop.tls) << ")\n";
        QList<Row> rows{{QStringLiteral("TASK"), QStringLiteral("STATUS"), QStringLiteral("REPLY")}};
        for (const ConnectorStep &s : std::as_const(report.steps))
            rows << splitDetail(Row{s.task, readinessStatusName(s.status), s.detail});
        printTable(m_out, rows);
        m_out.flush();
    }
    return failed ? kExitError : kExitOk;
}

} // namespace mailroute
