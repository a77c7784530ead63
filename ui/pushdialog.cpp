#include "ui/pushdialog.h"

#include "relaycore/config/hostport.h"
#include "relaycore/config/settingsdiff.h"
#include "relaycore/dkimadmin/dkimkeyring.h"
#include "relaycore/readiness/dkimrecordcheck.h"
#include "relaycore/routing/configdiff.h"
#include "relaycore/routing/roundtrip.h"
#include "relaycore/store/configstore.h"
#include "ui/backgroundstore.h"
#include "ui/outboundinverses.h"

#include <QFontDatabase>
#include <QHBoxLayout>
#include <QLabel>
#include <QListWidget>
#include <QLocale>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QStyle>
#include <QVBoxLayout>

#include <climits>

namespace mailroute {

struct PushDialog::Preview
{
    QString summary;
    QString diffText;
    qint64 changes = 0;
    QList<LintFinding> lint;
    qsizetype missingInverses = 0; // the round-trip rule's missing Outbound inverses
    std::optional<qint64> active;
};

namespace {

template <typename T> void cap(QList<T> &list, qsizetype n, qint64 &dropped)
{
    if (list.size() > n) {
        dropped += list.size() - n;
        list.resize(n);
    }
}

QString areaSummary(const AreaDiff &d)
{
    QStringList parts;
    auto add = [&parts](qsizetype n, const QString &text) {
        if (n > 0)
            parts << text.arg(QLocale().toString(n));
    };
    add(d.domainsAdded.size(), PushDialog::tr("%1 domain(s) added"));
    add(d.domainsChanged.size(), PushDialog::tr("%1 domain(s) changed"));
    add(d.domainsRemoved.size(), PushDialog::tr("%1 domain(s) removed"));
    add(d.usersAdded.size(), PushDialog::tr("%1 user(s) added"));
    add(d.usersChanged.size(), PushDialog::tr("%1 user(s) changed"));
    add(d.usersRemoved.size(), PushDialog::tr("%1 user(s) removed"));
    return parts.join(QStringLiteral(", "));
}

qint64 areaChanges(const AreaDiff &d)
{
    return d.domainsAdded.size() + d.domainsChanged.size() + d.domainsRemoved.size() + d.usersAdded.size() +
           d.usersChanged.size() + d.usersRemoved.size();
}

} // namespace

PushDialog::PushDialog(BackgroundStore *background, QWidget *parent)
    : QDialog(parent), m_background(background), m_headline(new QLabel(this)),
      m_progress(new QProgressBar(this)), m_summary(new QLabel(this)), m_diff(new QPlainTextEdit(this)),
      m_lintTitle(new QLabel(tr("Warnings"), this)), m_lint(new QListWidget(this)),
      m_inverses(new QPushButton(tr("Create the Outbound inverse"), this)),
      m_push(new QPushButton(tr("&Push"), this)), m_cancel(new QPushButton(tr("Cancel"), this))
{
    setObjectName(QStringLiteral("pushDialog"));
    setWindowTitle(tr("Push configuration"));
    m_headline->setObjectName(QStringLiteral("pushHeadline"));
    m_summary->setObjectName(QStringLiteral("pushSummary"));
    m_diff->setObjectName(QStringLiteral("diffView"));
    m_lint->setObjectName(QStringLiteral("lintList"));
    m_diff->setAccessibleName(tr("Changes since the last push"));
    m_lint->setAccessibleName(tr("Warnings"));
    m_push->setObjectName(QStringLiteral("confirmPushButton"));
    m_cancel->setObjectName(QStringLiteral("cancelPushButton"));
    m_inverses->setObjectName(QStringLiteral("createInversesButton"));
    m_inverses->setToolTip(
        tr("Adds to the draft's Outbound user list the inverse of every Inbound user mapping "
           "that has none, so that replies leave under the original address. Undo with "
           "Edit ▸ Undo."));
    m_inverses->setAutoDefault(false);
    m_inverses->hide();
    m_headline->setWordWrap(true);
    QFont bold = m_headline->font();
    bold.setBold(true);
    m_headline->setFont(bold);
    m_summary->setWordWrap(true);
    m_progress->setRange(0, 0);
    m_diff->setReadOnly(true);
    m_diff->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_diff->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_diff->setPlaceholderText(tr("No differences."));
    m_lint->setWordWrap(true);
    QFont lintFont = m_lintTitle->font();
    lintFont.setBold(true);
    m_lintTitle->setFont(lintFont);
    m_push->setAutoDefault(false);
    m_cancel->setAutoDefault(false);

    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_inverses);
    buttons->addStretch(1);
    buttons->addWidget(m_push);
    buttons->addWidget(m_cancel);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_headline);
    layout->addWidget(m_progress);
    layout->addWidget(m_summary);
    layout->addWidget(m_diff, 3);
    layout->addWidget(m_lintTitle);
    layout->addWidget(m_lint, 1);
    layout->addLayout(buttons);

    connect(m_push, &QPushButton::clicked, this, &PushDialog::push);
    connect(m_inverses, &QPushButton::clicked, this, &PushDialog::createInverses);
    connect(m_lint, &QListWidget::itemActivated, this, [this](QListWidgetItem *item) {
        if (!item->toolTip().isEmpty())
            createInverses();
    });
    connect(m_cancel, &QPushButton::clicked, this, &PushDialog::reject);
    const int em = fontMetrics().horizontalAdvance(QLatin1Char('M'));
    resize(em * 64, em * 40);
    setStage(Stage::Checking);
}

QString PushDialog::diffText() const
{
    return m_diff->toPlainText();
}

int PushDialog::lintCount() const
{
    return m_lint->count();
}

void PushDialog::setUndo(DraftUndo *undo)
{
    m_undo = undo;
}

void PushDialog::setStage(Stage stage)
{
    m_stage = stage;
    const bool busy = stage == Stage::Checking || stage == Stage::Pushing;
    m_progress->setVisible(busy);
    m_push->setEnabled(stage == Stage::Review);
    m_push->setVisible(stage != Stage::NothingToPush && stage != Stage::Failed);
    m_cancel->setEnabled(stage != Stage::Pushing);
    m_cancel->setText(stage == Stage::NothingToPush || stage == Stage::Failed ? tr("Close") : tr("Cancel"));
    const bool hasLint = m_lint->count() > 0;
    m_lintTitle->setVisible(hasLint);
    m_lint->setVisible(hasLint);
    m_inverses->setVisible(stage == Stage::Review && m_missingInverses > 0);
    m_inverses->setText(tr("Create the Outbound inverse (%n)", nullptr,
                           static_cast<int>(std::min<qsizetype>(m_missingInverses, INT_MAX))));
    if (stage == Stage::Checking)
        m_headline->setText(tr("Comparing the draft with the active configuration…"));
    else if (stage == Stage::Pushing)
        m_headline->setText(tr("Pushing…"));
    emit stageChanged(stage);
}

void PushDialog::start()
{
    // Pending DKIM keys first (docs/behaviour.md "Mail authentication"): a key
    // whose record is now in DNS becomes active in the draft, so the preview
    // already shows it replacing the old key. As mailroutectl push does.
    m_background->run(
        this, [](ConfigStore &store) { return DkimKeyring::pendingKeys(store.dkimKeys()); },
        [this](const QList<DkimKey> &pending) {
            if (pending.isEmpty()) {
                preview();
                return;
            }
            m_headline->setText(tr("Looking up the DNS records of %n pending DKIM key(s)…", nullptr,
                                   static_cast<int>(pending.size())));
            auto *check = new DkimRecordCheck(this);
            connect(check, &DkimRecordCheck::finished, this,
                    [this, check](const QList<DkimRecordStatus> &results) {
                        check->deleteLater();
                        m_background->run(
                            this,
                            [results](ConfigStore &store) {
                                QStringList lines;
                                DkimKeyring keyring(store);
                                for (const DkimPromotion &p : keyring.promote(results))
                                    lines << p.message;
                                return lines;
                            },
                            [this](const QStringList &lines) {
                                m_dkimNotes = lines;
                                preview();
                            });
                    });
            // MAILROUTE_NAMESERVER as for the relay and the readiness checks.
            check->start(pending, qEnvironmentVariable("MAILROUTE_NAMESERVER").trimmed());
        });
}

void PushDialog::preview()
{
    m_background->run(
        this,
        [](ConfigStore &store) {
            Preview p;
            p.active = store.activeGeneration();
            const ConfigData draft = store.draft();
            ConfigDiff diff =
                p.active ? diffConfig(store.generationConfig(*p.active).value.value_or(ConfigData{}), draft)
                         : diffConfig(ConfigData{}, draft);
            describeSettingDefaults(diff); // a setting set or reset shows old -> new
            p.lint = lintConfig(draft);
            p.missingInverses = checkRoundTrip(draft).missing.size();
            QStringList parts;
            for (Area area : kAllAreas) {
                const AreaDiff &d = diff.area(area);
                p.changes += areaChanges(d);
                const QString s = areaSummary(d);
                if (!s.isEmpty())
                    parts << areaTitle(area) + QStringLiteral(": ") + s;
            }
            const qsizetype dkim = diff.dkimAdded.size() + diff.dkimRemoved.size() + diff.dkimChanged.size();
            const qint64 other = diff.settings.size() + diff.routesAdded.size() + diff.routesRemoved.size() +
                                 diff.routesChanged.size() + dkim;
            p.changes += other;
            if (!diff.settings.isEmpty())
                parts << tr("Settings: %n changed", nullptr, static_cast<int>(diff.settings.size()));
            const qsizetype routes =
                diff.routesAdded.size() + diff.routesRemoved.size() + diff.routesChanged.size();
            if (routes > 0)
                parts << tr("Routes: %n changed", nullptr, static_cast<int>(routes));
            if (dkim > 0)
                parts << tr("DKIM keys: %n changed", nullptr, static_cast<int>(dkim));
            p.summary = parts.join(QLatin1Char('\n'));
            // A million-line diff helps nobody and costs hundreds of MB: the
            // first lines of each kind, and how many more there are.
            qint64 dropped = 0;
            for (AreaDiff &d : diff.areas) {
                cap(d.domainsAdded, kMaxLinesPerList, dropped);
                cap(d.domainsRemoved, kMaxLinesPerList, dropped);
                cap(d.domainsChanged, kMaxLinesPerList, dropped);
                cap(d.usersAdded, kMaxLinesPerList, dropped);
                cap(d.usersRemoved, kMaxLinesPerList, dropped);
                cap(d.usersChanged, kMaxLinesPerList, dropped);
            }
            QStringList lines = diff.toLines();
            if (dropped > 0)
                lines << tr("… and %1 more change(s)").arg(QLocale().toString(dropped));
            p.diffText = lines.join(QLatin1Char('\n'));
            return p;
        },
        [this](const Preview &p) { showPreview(p); });
}

void PushDialog::showPreview(const Preview &p)
{
    m_diff->setPlainText(p.diffText);
    m_lint->clear();
    m_missingInverses = p.missingInverses;
    QStringList noteLines = m_dkimNotes;
    if (!m_inverseNote.isEmpty())
        noteLines << m_inverseNote;
    const QString notes = noteLines.join(QLatin1Char('\n'));
    for (const LintFinding &f : p.lint) {
        const QIcon icon = style()->standardIcon(f.severity == LintFinding::Severity::Warning
                                                     ? QStyle::SP_MessageBoxWarning
                                                     : QStyle::SP_MessageBoxInformation);
        const QString text = f.area ? areaTitle(*f.area) + QStringLiteral(": ") + f.message : f.message;
        auto *item = new QListWidgetItem(icon, text);
        // The round-trip rule's warnings: activating one creates the inverses.
        if (f.message.contains(QLatin1String("Outbound inverse")) && p.missingInverses > 0)
            item->setToolTip(tr("Double-click or press Enter to create the missing Outbound inverses."));
        m_lint->addItem(item);
    }
    if (p.changes == 0) {
        m_headline->setText(
            p.active ? tr("Nothing to push: the draft equals the active generation %1.").arg(*p.active)
                     : tr("Nothing to push yet: the draft is empty. Create mappings first."));
        m_summary->setText(notes);
        setStage(Stage::NothingToPush);
        return;
    }
    m_headline->setText(p.active
                            ? tr("Push %n change(s) as generation %1? It replaces generation %2 in the relay "
                                 "without dropping connections.",
                                 nullptr, static_cast<int>(std::min<qint64>(p.changes, INT_MAX)))
                                  .arg(*p.active + 1)
                                  .arg(*p.active)
                            : tr("Push %n change(s) as the first generation?", nullptr,
                                 static_cast<int>(std::min<qint64>(p.changes, INT_MAX))));
    m_summary->setText(notes.isEmpty() ? p.summary : p.summary + QLatin1Char('\n') + notes);
    setStage(Stage::Review);
    m_push->setDefault(true);
    m_push->setFocus();
}

void PushDialog::push()
{
    if (m_stage != Stage::Review)
        return;
    setStage(Stage::Pushing);
    struct Outcome
    {
        QString error;
        qint64 generation = 0;
        bool unchanged = false;
    };
    m_background->run(
        this,
        [](ConfigStore &store) {
            const Result<PushResult> r = store.push();
            Outcome o;
            if (!r)
                o.error = r.error;
            else {
                o.generation = r->generation;
                o.unchanged = r->unchanged;
            }
            return o;
        },
        [this](const Outcome &o) {
            if (!o.error.isEmpty()) {
                m_headline->setText(
                    tr("The push failed; the relay keeps its configuration: %1").arg(o.error));
                setStage(Stage::Failed);
                return;
            }
            emit pushed(o.generation);
            accept();
        });
}

// "Create the Outbound inverse": the draft gets the missing inverses (one
// undo step), then the preview is computed again, so the diff shows them and
// their warnings are gone.
void PushDialog::createInverses()
{
    if (m_stage != Stage::Review || m_missingInverses == 0)
        return;
    if (!m_inverseAction) {
        m_inverseAction = new OutboundInverses(m_background, m_undo, this);
        connect(m_inverseAction, &OutboundInverses::finished, this,
                [this](const OutboundInverses::Outcome &o) {
                    m_inverseNote = OutboundInverses::describe(o);
                    preview();
                });
    }
    setStage(Stage::Checking);
    m_inverseAction->create();
}

void PushDialog::reject()
{
    if (m_stage == Stage::Pushing)
        return; // one transaction: it finishes on its own
    QDialog::reject();
}

} // namespace mailroute
