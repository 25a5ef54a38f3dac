# Sourced by ./fixgate, ./mvn21 and .ci/run: exports JAVA_HOME pointing at a JDK >= 21.
# Order: $JAVA_HOME if it is new enough, then the newest JDK under /usr/lib/jvm, then `java` on PATH.
# Fails with a message that says what it looked at.

fixgate_java_major() { # $1 = path to a java binary; prints its feature version (17, 21, 25, ...)
  # A JDK's release file says it without starting a JVM: each start cost ./fixgate a few hundred ms per JDK looked at.
  local release v
  release="$(dirname "$(dirname "$1")")/release"
  if [ -r "$release" ]; then
    v=$(sed -n 's/^JAVA_VERSION="\([^"]*\)".*/\1/p' "$release" | head -n 1)
    case "$v" in 1.*) v=${v#1.};; esac
    v=${v%%[!0-9]*}
    if [ -n "$v" ]; then echo "$v"; return 0; fi
  fi
  "$1" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ {print $2; exit}' | cut -d. -f1
}

fixgate_find_jdk() {
  local min=21 candidate major best="" best_major=0 looked=""
  if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/javac" ]; then
    major=$(fixgate_java_major "$JAVA_HOME/bin/java")
    if [ "${major:-0}" -ge "$min" ]; then export JAVA_HOME; return 0; fi
    looked="$looked JAVA_HOME=$JAVA_HOME (Java $major);"
  fi
  for candidate in /usr/lib/jvm/*; do
    [ -x "$candidate/bin/javac" ] || continue
    major=$(fixgate_java_major "$candidate/bin/java")
    looked="$looked $candidate (Java ${major:-?});"
    if [ "${major:-0}" -ge "$min" ] && [ "${major:-0}" -gt "$best_major" ]; then best=$candidate; best_major=$major; fi
  done
  if [ -z "$best" ] && command -v javac >/dev/null 2>&1; then
    candidate=$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")
    major=$(fixgate_java_major "$candidate/bin/java")
    looked="$looked PATH $candidate (Java ${major:-?});"
    [ "${major:-0}" -ge "$min" ] && best=$candidate
  fi
  if [ -z "$best" ]; then
    echo "fixgate needs a JDK $min or newer and found none. Looked at:$looked" >&2
    echo "Install one (for example Temurin 21) or point JAVA_HOME at it." >&2
    return 1
  fi
  export JAVA_HOME=$best
}
