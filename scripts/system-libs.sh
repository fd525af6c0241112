#!/usr/bin/env bash
# System libraries Python packages need at run time: Pango (and HarfBuzz through it) for
# WeasyPrint, which draws the PDF reports, and a font to draw with. Installed with apt when missing and running as
# root; otherwise a warning says what to install.
set -u
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
