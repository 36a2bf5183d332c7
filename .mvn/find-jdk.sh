# Sourced by ./mvnw, ./wam4j and .ci/run: exports JAVA_HOME pointing at a JDK >= 21.
# Order: JAVA_HOME if it is new enough, then the usual install folders, newest first.
wam4j_java_major() {
  "$1/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p' | head -1
}
wam4j_find_jdk() {
  local candidate major
  for candidate in "${JAVA_HOME:-}" $(ls -d /usr/lib/jvm/* /opt/java/* /opt/jdk* /usr/local/jdk* "$HOME"/.sdkman/candidates/java/* "$HOME"/.jdks/* 2>/dev/null | sort -rV); do
    [ -n "$candidate" ] && [ -x "$candidate/bin/java" ] && [ -x "$candidate/bin/javac" ] || continue
    major=$(wam4j_java_major "$candidate")
    if [ -n "$major" ] && [ "${major%%.*}" -ge 21 ] 2>/dev/null; then
      printf '%s\n' "$candidate"
      return 0
    fi
  done
  return 1
}
if WAM4J_JDK=$(wam4j_find_jdk); then
  export JAVA_HOME="$WAM4J_JDK"
  # Maven's own Guice pokes sun.misc.Unsafe; JDK 24+ warns about it on every run.
  if [ "$(wam4j_java_major "$WAM4J_JDK" | cut -d. -f1)" -ge 24 ] 2>/dev/null; then
    case "${MAVEN_OPTS:-}" in *sun-misc-unsafe*) ;; *) export MAVEN_OPTS="${MAVEN_OPTS:-} --sun-misc-unsafe-memory-access=allow" ;; esac
  fi
else
  echo "wam4j: no JDK >= 21 found (checked JAVA_HOME and /usr/lib/jvm, /opt/java, ~/.sdkman, ~/.jdks)." >&2
  echo "wam4j: install one (e.g. Temurin 21 or 25) or set JAVA_HOME to it." >&2
  exit 1
fi
