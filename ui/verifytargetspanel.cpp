#include "ui/verifytargetspanel.h"

#include "relaycore/store/configstore.h"
#include "ui/backgroundstore.h"

#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QTableWidget>
#include <QVBoxLayout>

namespace mailroute {

VerifyTargetsPanel::VerifyTargetsPanel(BackgroundStore *background, QWidget *parent)
    : QWidget(parent), m_background(background)
{
    setObjectName(QStringLiteral("verifyTargets"));
    auto *layout = new QVBoxLayout(this);
    auto *intro =
        new QLabel(tr("Before accepting an Inbound or Relay recipient the relay asks its target whether "
                      "the mailbox exists, so unknown users are refused at RCPT and nothing is bounced. "
                      "A target that accepts any address defeats this: such domains are listed here. "
                      "Exclude them (mailroutectl verify exclude DOMAIN) or make the tenant refuse "
                      "unknown users (Exchange Online: Directory-Based Edge Blocking)."),
                   this);
    intro->setWordWrap(true);
    layout->addWidget(intro);
    m_check = new QPushButton(tr("Check targets"), this);
    m_check->setObjectName(QStringLiteral("checkVerifyTargets"));
    connect(m_check, &QPushButton::clicked, this, &VerifyTargetsPanel::check);
    auto *row = new QHBoxLayout;
    row->addWidget(m_check);
    row->addStretch(1);
    layout->addLayout(row);
    m_summary = new QLabel(this);
    m_summary->setObjectName(QStringLiteral("verifyTargetsSummary"));
    m_summary->setWordWrap(true);
    layout->addWidget(m_summary);
    m_table = new QTableWidget(0, 4, this);
    m_table->setObjectName(QStringLiteral("verifyTargetsTable"));
    m_table->setAccessibleName(tr("Recipient verification by target domain"));
    m_table->setHorizontalHeaderLabels(
        {tr("Target domain"), tr("Status"), tr("Unknown address"), tr("Reply")});
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->verticalHeader()->hide();
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setWordWrap(true);
    layout->addWidget(m_table, 1);
}

QString VerifyTargetsPanel::summaryText() const
{
    return m_summary->text();
}

void VerifyTargetsPanel::check()
{
    if (m_running)
        return;
    m_running = true;
    m_check->setEnabled(false);
    m_summary->setText(tr("Asking the targets…"));
    m_background->run(
        this,
        [](ConfigStore &store) {
            if (const auto active = store.activeGeneration()) {
                if (auto pushed = store.generationConfig(*active); pushed.ok())
                    return *pushed;
            }
            return store.draft();
        },
        [this](const ConfigData &config) {
            auto *run = new CatchAllCheck({}, this);
            connect(run, &CatchAllCheck::finished, this, [this, run](const QList<CatchAllResult> &results) {
                run->deleteLater();
                showResults(results);
            });
            run->start(config);
        });
}

void VerifyTargetsPanel::showResults(const QList<CatchAllResult> &results)
{
    m_running = false;
    m_check->setEnabled(true);
    m_table->setRowCount(0);
    int acceptAny = 0;
    for (const CatchAllResult &r : results) {
        const int row = m_table->rowCount();
        m_table->insertRow(row);
        QString verdict = r.verdict == QLatin1String("accepts any address") ? tr("accepts any address")
                          : r.verdict == QLatin1String("refuses unknown addresses")
                              ? tr("refuses unknown addresses")
                              : tr("could not tell");
        if (r.excluded)
            verdict += QLatin1Char(' ') + tr("(excluded)");
        acceptAny += r.verdict == QLatin1String("accepts any address") && !r.excluded ? 1 : 0;
        const QStringList cells{r.domain, readinessStatusName(r.status), verdict,
                                r.server.isEmpty() ? r.reply : r.server + QStringLiteral(": ") + r.reply};
        for (int c = 0; c < cells.size(); ++c)
            m_table->setItem(row, c, new QTableWidgetItem(cells.at(c)));
    }
    m_table->resizeColumnsToContents();
    if (results.isEmpty())
        m_summary->setText(tr("No Inbound or Relay rules: no targets to check."));
    else if (acceptAny > 0)
        m_summary->setText(
            tr("Targets that accept any address: %1. Unknown users there are accepted and bounced later.")
                .arg(acceptAny));
    else
        m_summary->setText(tr("Every target answered; none accepts any address."));
    emit finished();
}

} // namespace mailroute
