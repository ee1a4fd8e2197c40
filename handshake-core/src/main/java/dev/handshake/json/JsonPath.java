package dev.handshake.json;

import org.jspecify.annotations.Nullable;

/**
 * Where a value sits in a document ({@code $.payload.price}, {@code $.list[2]}), built one link per
 * level while walking a tree so that error messages can point at the offending value.
 */
record JsonPath(@Nullable JsonPath parent, @Nullable String key, int index) {
  static final JsonPath ROOT = new JsonPath(null, null, -1);

  JsonPath property(String name) {
    return new JsonPath(this, name, -1);
  }

  JsonPath element(int i) {
    return new JsonPath(this, null, i);
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder();
    append(sb);
    return sb.toString();
  }

  private void append(StringBuilder sb) {
    if (parent == null) {
      sb.append('$');
      return;
    }
    parent.append(sb);
    if (key == null) {
      sb.append('[').append(index).append(']');
    } else if (isPlainName(key)) {
      sb.append('.').append(key);
    } else {
      // Quoted like a JSON string so that any key, even one with quotes or controls, stays legible.
      sb.append('[');
      JsonText.appendQuotedAscii(sb, key);
      sb.append(']');
    }
  }

  private static boolean isPlainName(String key) {
    if (key.isEmpty() || (key.charAt(0) >= '0' && key.charAt(0) <= '9')) {
      return false;
    }
    for (int i = 0; i < key.length(); i++) {
      char c = key.charAt(i);
      boolean word =
          (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
      if (!word) {
        return false;
      }
    }
    return true;
  }
}
