#!/usr/bin/python3
# A stand-in for the desktop's notification daemon (tst_desktopnotifier): owns
# org.freedesktop.Notifications on the session bus of DBUS_SESSION_BUS_ADDRESS
# (the test's own dbus-daemon) and appends every Notify call to the file
# argv[1] as one JSON line. Prints "ready" once the name is owned; stopped by
# the test by PID.
import json
import sys

import dbus
import dbus.mainloop.glib
import dbus.service
from gi.repository import GLib

IFACE = 'org.freedesktop.Notifications'


class Server(dbus.service.Object):
    def __init__(self, bus, out):
        super().__init__(bus, '/org/freedesktop/Notifications')
        self.out = out
        self.count = 0

    @dbus.service.method(IFACE, in_signature='susssasa{sv}i', out_signature='u')
    def Notify(self, app, replaces, icon, summary, body, actions, hints, timeout):
        self.count += 1
        urgency = hints.get('urgency')
        self.out.write(json.dumps({
            'app': str(app),
            'summary': str(summary),
            'body': str(body),
            'urgency': int(urgency) if urgency is not None else -1,
            'urgency_signature': urgency.__class__.__name__ if urgency is not None else '',
            'desktop_entry': str(hints.get('desktop-entry', '')),
            'timeout': int(timeout),
        }) + '\n')
        self.out.flush()
        return dbus.UInt32(self.count)

    @dbus.service.method(IFACE, out_signature='as')
    def GetCapabilities(self):
        return ['body']

    @dbus.service.method(IFACE, out_signature='ssss')
    def GetServerInformation(self):
        return ('mailroute-test', 'MailRoute', '1', '1.2')


def main():
    dbus.mainloop.glib.DBusGMainLoop(set_as_default=True)
    out = open(sys.argv[1], 'a', encoding='utf-8')
    bus = dbus.SessionBus()
    name = dbus.service.BusName(IFACE, bus, do_not_queue=True)  # noqa: F841 (kept while running)
    Server(bus, out)
    print('ready', flush=True)
    GLib.MainLoop().run()


if __name__ == '__main__':
    main()
