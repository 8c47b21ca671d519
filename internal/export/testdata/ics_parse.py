"""Read an iCalendar file with the icalendar library and print, as JSON,
what casebook's tests compare: the calendar's properties, and for each
VEVENT its UID, DTSTART, DTEND, SUMMARY and the TRIGGER of each VALARM,
with every error the parser recorded on any component.

Usage: python3 ics_parse.py FILE

Dates print as "DATE:YYYYMMDD", date-times in UTC as "YYYYMMDDTHHMMSSZ",
relative triggers as "REL:<seconds>". Exit status 0 when the file was
read, even with recorded errors (the test asserts there are none); a
file the parser refuses raises and exits 1.
"""

import datetime
import json
import sys

import icalendar


def when(v):
    if v is None:
        return None
    dt = v.dt
    if isinstance(dt, datetime.timedelta):
        return "REL:%d" % dt.total_seconds()
    if isinstance(dt, datetime.datetime):
        if dt.tzinfo is None:
            return "FLOATING:" + dt.strftime("%Y%m%dT%H%M%S")
        return dt.astimezone(datetime.timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    if isinstance(dt, datetime.date):
        return "DATE:" + dt.strftime("%Y%m%d")
    return "UNKNOWN:" + repr(dt)


def text(v):
    return None if v is None else str(v)


def main():
    with open(sys.argv[1], "rb") as f:
        cal = icalendar.Calendar.from_ical(f.read())
    errors = []
    for comp in cal.walk():
        for name, err in getattr(comp, "errors", []):
            errors.append("%s %s: %s" % (comp.name, name, err))
    events = []
    for ev in cal.walk("VEVENT"):
        alarms = []
        for al in ev.walk("VALARM"):
            alarms.append({
                "action": text(al.get("ACTION")),
                "trigger": when(al.get("TRIGGER")),
                "description": text(al.get("DESCRIPTION")),
            })
        events.append({
            "uid": text(ev.get("UID")),
            "dtstamp": when(ev.get("DTSTAMP")),
            "dtstart": when(ev.get("DTSTART")),
            "dtend": when(ev.get("DTEND")),
            "summary": text(ev.get("SUMMARY")),
            "url": text(ev.get("URL")),
            "alarms": alarms,
        })
    props = {k: text(v) for k, v in cal.items()}
    json.dump({"name": cal.name, "props": props, "errors": errors, "events": events},
              sys.stdout, ensure_ascii=False, indent=1, sort_keys=True)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
