package dev.handshake.session;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Arrays;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * The form-fill values of one session as parallel arrays in insertion order. A form has few
 * fields, so a linear scan beats hashing, and the arrays cost a fraction of a {@code
 * LinkedHashMap} of records — which is what keeps an idle session under 2 KiB.
 */
final class FieldTable extends AbstractMap<String, FieldValue> {
  private static final String[] NO_KEYS = {};
  private static final JsonNode[] NO_VALUES = {};
  private static final byte[] NO_OWNERS = {};
  private static final long[] NO_TIMES = {};
  private static final FieldOwner[] OWNERS = FieldOwner.values();

  private String[] keys = NO_KEYS;
  private JsonNode[] values = NO_VALUES;
  private byte[] owners = NO_OWNERS;
  private long[] times = NO_TIMES;
  private int size;

  private int indexOf(@Nullable Object key) {
    for (int i = 0; i < size; i++) {
      if (keys[i].equals(key)) {
        return i;
      }
    }
    return -1;
  }

  @Override
  public int size() {
    return size;
  }

  @Override
  public boolean containsKey(@Nullable Object key) {
    return indexOf(key) >= 0;
  }

  @Override
  public @Nullable FieldValue get(@Nullable Object key) {
    int i = indexOf(key);
    return i < 0 ? null : at(i);
  }

  private FieldValue at(int i) {
    return new FieldValue(values[i], OWNERS[owners[i]], times[i]);
  }

  @Override
  public @Nullable FieldValue put(String key, FieldValue v) {
    int i = indexOf(key);
    FieldValue old = null;
    if (i >= 0) {
      old = at(i);
    } else {
      if (size == keys.length) {
        int cap = Math.max(4, size * 2);
        keys = Arrays.copyOf(keys, cap);
        values = Arrays.copyOf(values, cap);
        owners = Arrays.copyOf(owners, cap);
        times = Arrays.copyOf(times, cap);
      }
      i = size++;
      keys[i] = key;
    }
    values[i] = v.value();
    owners[i] = (byte) v.by().ordinal();
    times[i] = v.atMicros();
    return old;
  }

  /** Sizes the arrays exactly, for sessions created with {@code n} fields. */
  void ensureCapacity(int n) {
    if (n > keys.length) {
      keys = Arrays.copyOf(keys, n);
      values = Arrays.copyOf(values, n);
      owners = Arrays.copyOf(owners, n);
      times = Arrays.copyOf(times, n);
    }
  }

  @Override
  public Set<Entry<String, FieldValue>> entrySet() {
    return new AbstractSet<>() {
      @Override
      public int size() {
        return size;
      }

      @Override
      public Iterator<Entry<String, FieldValue>> iterator() {
        return new Iterator<>() {
          int i;

          @Override
          public boolean hasNext() {
            return i < size;
          }

          @Override
          public Entry<String, FieldValue> next() {
            if (i >= size) {
              throw new NoSuchElementException();
            }
            Entry<String, FieldValue> e = new SimpleImmutableEntry<>(keys[i], at(i));
            i++;
            return e;
          }
        };
      }
    };
  }
}
