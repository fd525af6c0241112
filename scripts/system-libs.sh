#!/usr/bin/env bash
# System libraries Python packages need at run time: Pango (and HarfBuzz through it) for
# WeasyPrint, which draws the PDF reports, and a font to draw with; gettext's msgfmt, which
# compiles the public site's translations at set-up. Installed with apt when missing and
# running as root; otherwise a warning says what to install.
set -u
if ! command -v msgfmt >/dev/null; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "Installing gettext for the translations…"
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq gettext >/dev/null) \
      || echo "warning: could not install gettext; the Spanish pages will be in English" >&2
  else
    echo "warning: msgfmt is missing; install gettext to compile the translations" >&2
  fi
fi
if ldconfig -p 2>/dev/null | grep -q 'libpango-1.0.so.0' \
   && ldconfig -p 2>/dev/null | grep -q 'libpangoft2-1.0.so.0' \
   && fc-list 2>/dev/null | grep -q .; then
  exit 0
fi
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "Installing Pango for PDF reports…"
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
     libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core >/dev/null) \
    || echo "warning: could not install Pango; PDF reports will fail" >&2
else
  echo "warning: Pango is missing; install libpango-1.0-0 and libpangoft2-1.0-0 for PDF reports" >&2
fi
