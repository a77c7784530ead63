#include "ui/mainwindow.h"

#include "relaycore/store/configstore.h"
#include "ui/actionlogmodel.h"
#include "ui/areaconfigpage.h"

#include <QHeaderView>
#include <QLabel>
#include <QSplitter>
#include <QStackedWidget>
#include <QStatusBar>
#include <QTableView>
#include <QTimer>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace mailroute {

namespace {
constexpr int kPageRole = Qt::UserRole + 1;
}

MainWindow::MainWindow(ConfigStore *store, QWidget *parent)
    : QMainWindow(parent), m_store(store)
{
    setWindowTitle(QStringLiteral("MailRoute"));
    setObjectName(QStringLiteral("mainWindow"));

    auto *splitter = new QSplitter(this);
    m_nav = new QTreeWidget(splitter);
    m_nav->setObjectName(QStringLiteral("navigation"));
    m_nav->setHeaderHidden(true);
    m_nav->setMinimumWidth(180);
    m_stack = new QStackedWidget(splitter);
    splitter->addWidget(m_nav);
    splitter->addWidget(m_stack);
    splitter->setStretchFactor(1, 1);
    splitter->setSizes({200, 800});
    setCentralWidget(splitter);

    for (Area area : kAllAreas) {
        const auto i = static_cast<size_t>(areaIndex(area));
        m_configPages[i] = new AreaConfigPage(store, area, m_stack);
        m_stack->addWidget(m_configPages[i]);

        auto *logPage = new QWidget(m_stack);
        auto *logLayout = new QVBoxLayout(logPage);
        auto *title = new QLabel(tr("%1 — Logs").arg(areaTitle(area)), logPage);
        QFont f = title->font();
        f.setPointSizeF(f.pointSizeF() * 1.4);
        f.setBold(true);
        title->setFont(f);
        logLayout->addWidget(title);
        m_logModels[i] = new ActionLogModel(this);
        m_logViews[i] = new QTableView(logPage);
        m_logViews[i]->setObjectName(QStringLiteral("actionLog_") + areaKey(area));
        m_logViews[i]->setModel(m_logModels[i]);
        m_logViews[i]->verticalHeader()->hide();
        m_logViews[i]->setSelectionBehavior(QAbstractItemView::SelectRows);
        m_logViews[i]->setEditTriggers(QAbstractItemView::NoEditTriggers);
        m_logViews[i]->horizontalHeader()->setSectionResizeMode(ActionLogModel::TimeColumn,
                                                                QHeaderView::ResizeToContents);
        m_logViews[i]->horizontalHeader()->setStretchLastSection(true);
        logLayout->addWidget(m_logViews[i]);
        m_stack->addWidget(logPage);
    }
    buildNavigation();

    m_generationLabel = new QLabel(this);
    m_pendingLabel = new QLabel(this);
    auto *dbLabel = new QLabel(tr("Database: %1").arg(store->path()), this);
    statusBar()->addWidget(m_generationLabel);
    statusBar()->addWidget(m_pendingLabel);
    statusBar()->addPermanentWidget(dbLabel);

    refresh();
    // Another process (mailroutectl, a headless relay) may change the database.
    m_poll = new QTimer(this);
    m_poll->setInterval(1000);
    connect(m_poll, &QTimer::timeout, this, &MainWindow::pollDatabase);
    m_poll->start();
    resize(1100, 720);
    showAreaPage(Area::Relay, false);
}

MainWindow::~MainWindow() = default;

void MainWindow::buildNavigation()
{
    auto *root = new QTreeWidgetItem(m_nav, {tr("Mail Routing")});
    root->setFlags(Qt::ItemIsEnabled);
    for (Area area : kAllAreas) {
        auto *areaItem = new QTreeWidgetItem(root, {areaTitle(area)});
        areaItem->setFlags(Qt::ItemIsEnabled);
        const int base = areaIndex(area) * 2;
        auto *cfg = new QTreeWidgetItem(areaItem, {tr("Configuration")});
        cfg->setData(0, kPageRole, base);
        auto *logs = new QTreeWidgetItem(areaItem, {tr("Logs")});
        logs->setData(0, kPageRole, base + 1);
    }
    m_nav->expandAll();
    connect(m_nav, &QTreeWidget::currentItemChanged, this, [this](QTreeWidgetItem *item) {
        if (item && item->data(0, kPageRole).isValid())
            m_stack->setCurrentIndex(item->data(0, kPageRole).toInt());
    });
}

void MainWindow::showAreaPage(Area area, bool logs)
{
    const int page = areaIndex(area) * 2 + (logs ? 1 : 0);
    QTreeWidgetItemIterator it(m_nav);
    for (; *it; ++it) {
        if ((*it)->data(0, kPageRole).isValid() && (*it)->data(0, kPageRole).toInt() == page) {
            m_nav->setCurrentItem(*it);
            break;
        }
    }
    m_stack->setCurrentIndex(page);
}

AreaConfigPage *MainWindow::configPage(Area area) const
{
    return m_configPages[static_cast<size_t>(areaIndex(area))];
}

QTableView *MainWindow::logView(Area area) const
{
    return m_logViews[static_cast<size_t>(areaIndex(area))];
}

void MainWindow::refresh()
{
    m_seenChange = m_store->changeCounter();
    for (AreaConfigPage *page : m_configPages)
        page->reload();
    for (Area area : kAllAreas) {
        ActionLogModel *model = m_logModels[static_cast<size_t>(areaIndex(area))];
        for (;;) {
            const QList<ActionLogEntry> entries = m_store->actionLog(area, model->lastId(), 5000);
            model->append(entries);
            if (entries.size() < 5000)
                break;
        }
    }
    updateStatus();
}

void MainWindow::pollDatabase()
{
    if (m_store->changeCounter() != m_seenChange)
        refresh();
}

void MainWindow::updateStatus()
{
    const auto active = m_store->activeGeneration();
    m_generationLabel->setText(active ? tr("Active generation: %1").arg(*active)
                                      : tr("Nothing pushed yet"));
    const bool pending = !m_store->pendingDiff().isEmpty();
    m_pendingLabel->setText(pending ? tr("Unpushed changes") : tr("No unpushed changes"));
}

} // namespace mailroute
