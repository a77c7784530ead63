#include "ui/arealogspage.h"

#include "ui/actionlogmodel.h"
#include "ui/columnfit.h"
#include "ui/displaytime.h"
#include "ui/emptystateoverlay.h"
#include "ui/filedialogs.h"
#include "ui/infobanner.h"
#include "ui/messagelogfilter.h"
#include "ui/messagelogmodel.h"

#include <QCheckBox>
#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QPushButton>
#include <QSaveFile>
#include <QScrollBar>
#include <QTabWidget>
#include <QTableView>
#include <QTimer>
#include <QVBoxLayout>

#include <algorithm>

namespace mailroute {

namespace {

QTableView *makeLogTable(const QString &name, QWidget *parent)
{
    auto *view = new QTableView(parent);
    view->setObjectName(name);
    view->verticalHeader()->hide();
    view->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    view->verticalHeader()->setDefaultSectionSize(view->fontMetrics().height() + 8);
    view->setSelectionBehavior(QAbstractItemView::SelectRows);
    view->setEditTriggers(QAbstractItemView::NoEditTriggers);
    view->setAlternatingRowColors(true);
    view->setWordWrap(false);
    view->horizontalHeader()->setHighlightSections(false);
    view->horizontalHeader()->setStretchLastSection(true);
    return view;
}

// RFC 4180 quoting with the console's ';' separator, as the user lists use.
QByteArray csvField(const QString &value)
{
    QString v = value;
    if (v.contains(QLatin1Char(';')) || v.contains(QLatin1Char('"')) || v.contains(QLatin1Char('\n')) ||
        v.contains(QLatin1Char('\r'))) {
        v.replace(QLatin1Char('"'), QStringLiteral("\"\""));
        v = QLatin1Char('"') + v + QLatin1Char('"');
    }
    return v.toUtf8();
}

} // namespace

AreaLogsPage::AreaLogsPage(Area area, QWidget *parent)
    : QWidget(parent), m_area(area), m_tabs(new QTabWidget(this)), m_banner(new InfoBanner(this)),
      m_messageModel(new MessageLogModel(MessageLogModel::kDefaultCapacity, this)),
      m_filter(new MessageLogFilter(this)), m_messageView(nullptr),
      m_follow(new QCheckBox(tr("&Follow"), this)), m_pause(new QPushButton(tr("P&ause"), this)),
      m_scope(new QComboBox(this)), m_kind(new QComboBox(this)), m_text(new QLineEdit(this)),
      m_status(new QLabel(this)), m_textDelay(new QTimer(this)), m_actionModel(new ActionLogModel(this)),
      m_actionView(nullptr)
{
    setObjectName(QStringLiteral("logsPage_") + areaKey(area));
    auto *layout = new QVBoxLayout(this);
    auto *title = new QLabel(tr("%1 — Logs").arg(areaTitle(area)), this);
    title->setObjectName(QStringLiteral("pageTitle"));
    QFont f = title->font();
    f.setPointSizeF(f.pointSizeF() * 1.4);
    f.setBold(true);
    title->setFont(f);
    layout->addWidget(title);
    layout->addWidget(m_banner);
    m_tabs->setObjectName(QStringLiteral("logTabs"));
    layout->addWidget(m_tabs, 1);

    // ---- live message log
    auto *live = new QWidget(m_tabs);
    auto *liveLayout = new QVBoxLayout(live);
    auto *tools = new QHBoxLayout;
    m_follow->setObjectName(QStringLiteral("followCheck"));
    m_follow->setChecked(true);
    m_follow->setToolTip(tr("Keep the newest line in view"));
    m_pause->setObjectName(QStringLiteral("pauseButton"));
    m_pause->setCheckable(true);
    m_pause->setToolTip(tr("Freeze the list to read it; new lines wait and appear when you resume"));
    m_scope->setObjectName(QStringLiteral("scopeCombo"));
    m_scope->addItem(tr("%1 messages").arg(areaTitle(area)));
    m_scope->addItem(tr("All messages"));
    m_scope->setToolTip(tr("Messages a rule of this area rewrote, or every message the relay handled; "
                           "refusals and errors show in both"));
    m_scope->setAccessibleName(tr("Messages shown"));
    m_kind->setObjectName(QStringLiteral("statusCombo"));
    m_kind->setAccessibleName(tr("Events shown"));
    m_kind->addItem(tr("All events"));
    const std::pair<MessageLogKind, QString> kinds[] = {
        {MessageLogKind::Received, tr("Received")},   {MessageLogKind::Rewritten, tr("Rewritten")},
        {MessageLogKind::Delivered, tr("Delivered")}, {MessageLogKind::Deferred, tr("Deferred")},
        {MessageLogKind::Bounced, tr("Bounced")},     {MessageLogKind::Refused, tr("Refused")},
        {MessageLogKind::Error, tr("Errors")},
    };
    for (const auto &[kind, text] : kinds)
        m_kind->addItem(text, static_cast<int>(kind));
    m_text->setObjectName(QStringLiteral("logFilter"));
    m_text->setPlaceholderText(tr("Filter: address, queue id, host, reply…"));
    m_text->setClearButtonEnabled(true);
    m_text->setAccessibleName(tr("Filter the message log"));
    auto *exportButton = new QPushButton(tr("&Export CSV…"), live);
    exportButton->setObjectName(QStringLiteral("exportLogButton"));
    tools->addWidget(m_follow);
    tools->addWidget(m_pause);
    tools->addWidget(m_scope);
    tools->addWidget(m_kind);
    tools->addWidget(m_text, 1);
    tools->addWidget(exportButton);
    liveLayout->addLayout(tools);

    m_filter->setSourceLog(m_messageModel);
    m_filter->setArea(area);
    m_messageView = makeLogTable(QStringLiteral("messageLog_") + areaKey(area), live);
    m_messageView->setModel(m_filter);
    m_messageView->setAccessibleName(tr("Message log"));
    QHeaderView *header = m_messageView->horizontalHeader();
    const int em = fontMetrics().horizontalAdvance(QLatin1Char('M'));
    // Columns start at their titles (and a few samples) and widen to the
    // widest text that arrives (fitRows), never ResizeToContents: that would
    // measure 50,000 rows on every batch. Addresses are never elided; a log
    // wider than the window scrolls horizontally.
    const QFontMetrics fm = m_messageView->fontMetrics();
    header->setStretchLastSection(false);
    const std::pair<int, int> widths[] = {
        {MessageLogModel::TimeColumn,
         ColumnFit::widthFor(header, fm,
                             DisplayTime::dateTime(QDateTime(QDate(2026, 12, 28), QTime(23, 59, 59))))},
        {MessageLogModel::QueueIdColumn, ColumnFit::widthFor(header, fm, QStringLiteral("WWWWWWWWWWWW"))},
        {MessageLogModel::EventColumn, ColumnFit::widthFor(header, fm, QStringLiteral("rewritten"))},
        {MessageLogModel::FromColumn, em * 8},
        {MessageLogModel::ToColumn, em * 8},
        {MessageLogModel::RewrittenColumn, em * 8},
        {MessageLogModel::RuleColumn, em * 8},
        {MessageLogModel::NextHopColumn, ColumnFit::widthFor(header, fm, QStringLiteral("[127.0.0.1]:25"))},
        {MessageLogModel::StatusColumn, em * 24}};
    for (const auto &[column, width] : widths) {
        header->setSectionResizeMode(column, QHeaderView::Interactive);
        header->resizeSection(column, width);
        ColumnFit::fitTitle(header, column);
    }
    m_messageView->setHorizontalScrollMode(QAbstractItemView::ScrollPerPixel);
    // Only Rule and Status have a width limit; their whole text is in the tool tip.
    m_messageView->setTextElideMode(Qt::ElideRight);
    new EmptyStateOverlay(m_messageView,
                          tr("No mail yet.\nLines appear here live once the relay is active (Relay service ▸ "
                             "Settings & Activation ▸ Activate) and mail arrives. Older lines stay in the "
                             "database; mailroutectl logs shows them."));
    liveLayout->addWidget(m_messageView, 1);
    m_status->setObjectName(QStringLiteral("logStatus"));
    liveLayout->addWidget(m_status);
    m_tabs->addTab(live, tr("Live message log"));

    // ---- action log
    auto *actions = new QWidget(m_tabs);
    auto *actionsLayout = new QVBoxLayout(actions);
    m_actionView = makeLogTable(QStringLiteral("actionLog_") + areaKey(area), actions);
    m_actionView->setModel(m_actionModel);
    m_actionView->setAccessibleName(tr("Action log"));
    m_actionView->horizontalHeader()->setSectionResizeMode(ActionLogModel::TimeColumn,
                                                           QHeaderView::ResizeToContents);
    new EmptyStateOverlay(m_actionView,
                          tr("Nothing logged yet.\nEvery change to the %1 mappings and every push is "
                             "listed here, whether made in the console or with mailroutectl.")
                              .arg(areaTitle(area)));
    actionsLayout->addWidget(m_actionView);
    m_tabs->addTab(actions, tr("Action log"));

    m_textDelay->setSingleShot(true);
    m_textDelay->setInterval(200);
    connect(m_text, &QLineEdit::textChanged, m_textDelay, qOverload<>(&QTimer::start));
    connect(m_textDelay, &QTimer::timeout, this, [this] {
        m_filter->setText(m_text->text().trimmed());
        updateStatus();
    });
    connect(m_scope, &QComboBox::currentIndexChanged, this, [this](int index) {
        m_filter->setArea(index == 0 ? std::optional<Area>(m_area) : std::nullopt);
        updateStatus();
    });
    connect(m_kind, &QComboBox::currentIndexChanged, this, [this](int index) {
        const QVariant kind = m_kind->itemData(index);
        m_filter->setKind(kind.isValid() ? std::optional(static_cast<MessageLogKind>(kind.toInt()))
                                         : std::nullopt);
        updateStatus();
    });
    connect(m_pause, &QPushButton::toggled, this, &AreaLogsPage::setPaused);
    connect(m_follow, &QCheckBox::toggled, this, [this](bool on) {
        if (on)
            scrollToNewest();
    });
    connect(exportButton, &QPushButton::clicked, this, &AreaLogsPage::exportMessageLog);
    // Reading an older line stops following; the newest line in view follows again.
    connect(m_messageView->verticalScrollBar(), &QScrollBar::actionTriggered, this, [this] {
        QScrollBar *bar = m_messageView->verticalScrollBar();
        QTimer::singleShot(0, this, [this, bar] { m_follow->setChecked(bar->value() >= bar->maximum()); });
    });
    updateStatus();
}

bool AreaLogsPage::isPaused() const
{
    return m_pause->isChecked();
}

void AreaLogsPage::addActionLog(const QList<ActionLogEntry> &entries)
{
    m_actionModel->append(entries);
    if (!entries.isEmpty())
        m_actionView->scrollToBottom();
}

void AreaLogsPage::addRows(const QList<MessageLogRow> &rows)
{
    if (rows.isEmpty())
        return;
    if (isPaused()) {
        m_held.append(rows);
        if (m_held.size() > m_messageModel->capacity())
            m_held.remove(0, m_held.size() - m_messageModel->capacity());
    } else {
        m_messageModel->append(rows);
        fitRows(rows);
        if (m_follow->isChecked())
            scrollToNewest();
    }
    updateStatus();
}

void AreaLogsPage::setPaused(bool paused)
{
    m_pause->setText(paused ? tr("Res&ume") : tr("P&ause"));
    if (!paused && !m_held.isEmpty()) {
        const QList<MessageLogRow> held = std::exchange(m_held, {});
        m_messageModel->append(held);
        fitRows(held);
        if (m_follow->isChecked())
            scrollToNewest();
    }
    updateStatus();
}

// Widens the columns to the new rows' texts: addresses whole, Rule and
// Status up to a limit. Measures the batch only (its newest rows when huge).
void AreaLogsPage::fitRows(const QList<MessageLogRow> &rows)
{
    QHeaderView *header = m_messageView->horizontalHeader();
    const QFontMetrics fm = m_messageView->fontMetrics();
    const int limit = fm.horizontalAdvance(QLatin1Char('M')) * 70;
    const qsizetype first = std::max<qsizetype>(0, rows.size() - 2000);
    for (qsizetype i = first; i < rows.size(); ++i) {
        const MessageLogRow &r = rows.at(i);
        ColumnFit::widen(header, MessageLogModel::TimeColumn, fm, r.timeText);
        ColumnFit::widen(header, MessageLogModel::QueueIdColumn, fm, r.queueId);
        ColumnFit::widen(header, MessageLogModel::EventColumn, fm, r.event);
        ColumnFit::widen(header, MessageLogModel::FromColumn, fm, r.from);
        ColumnFit::widen(header, MessageLogModel::ToColumn, fm, r.to);
        ColumnFit::widen(header, MessageLogModel::RewrittenColumn, fm, r.rewrittenTo);
        ColumnFit::widen(header, MessageLogModel::NextHopColumn, fm, r.nextHop);
        ColumnFit::widen(header, MessageLogModel::RuleColumn, fm, r.rule, limit);
        ColumnFit::widen(header, MessageLogModel::StatusColumn, fm, r.status, limit);
    }
}

void AreaLogsPage::scrollToNewest()
{
    m_messageView->scrollToBottom();
}

void AreaLogsPage::updateStatus()
{
    const QLocale locale;
    QString text =
        tr("%1 of %2 line(s) shown; the newest %3 are kept")
            .arg(locale.toString(m_filter->rowCount()), locale.toString(m_messageModel->rowCount()),
                 locale.toString(m_messageModel->capacity()));
    if (isPaused())
        text +=
            QStringLiteral(" · ") + tr("paused, %1 new line(s) waiting").arg(locale.toString(m_held.size()));
    m_status->setText(text);
}

void AreaLogsPage::focusFilter()
{
    m_tabs->setCurrentIndex(0);
    m_text->setFocus(Qt::ShortcutFocusReason);
    m_text->selectAll();
}

QString AreaLogsPage::exportCsv(const QString &path) const
{
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return tr("Cannot write %1: %2").arg(path, file.errorString());
    QByteArray out;
    for (int c = 0; c < MessageLogModel::ColumnCount; ++c)
        out += (c ? ";" : "") + csvField(MessageLogModel::columnTitle(c));
    out += "\r\n";
    for (int row = 0; row < m_filter->rowCount(); ++row) {
        const MessageLogRow &r = m_messageModel->rowAt(m_filter->mapToSource(m_filter->index(row, 0)).row());
        // ISO 8601 with the UTC offset: a log read in another time zone stays right.
        const QString fields[] = {r.time.toLocalTime().toString(Qt::ISODateWithMs),
                                  r.queueId,
                                  r.event,
                                  r.from,
                                  r.to,
                                  r.rewrittenTo,
                                  r.rule,
                                  r.nextHop,
                                  r.status};
        bool first = true;
        for (const QString &value : fields) {
            if (!first)
                out += ';';
            first = false;
            out += csvField(value);
        }
        out += "\r\n";
        if (out.size() > (1 << 20)) {
            file.write(out);
            out.clear();
        }
    }
    if (file.write(out) != out.size() || !file.commit())
        return tr("Cannot write %1: %2").arg(path, file.errorString());
    return {};
}

void AreaLogsPage::exportMessageLog()
{
    const QString name = areaKey(m_area) + QStringLiteral("-message-log-") +
                         QDateTime::currentDateTime().toString(QStringLiteral("yyyyMMdd-HHmm")) +
                         QStringLiteral(".csv");
    FileDialogs::saveCsv(
        this, QStringLiteral("exportLogDialog"), tr("Export the message log"), name,
        [this](const QString &path) {
            const QString error = exportCsv(path);
            if (error.isEmpty())
                m_banner->showMessage(
                    tr("%1 line(s) exported to %2.").arg(QLocale().toString(m_filter->rowCount()), path),
                    InfoBanner::Kind::Success);
            else
                m_banner->showMessage(error, InfoBanner::Kind::Error);
        });
}

} // namespace mailroute
