package dev.handshake.conformance;

import dev.handshake.session.SessionConfig;

/** The two configuration profiles of hpp.md §3: our hardened defaults and the reference one. */
public enum Profile {
  /** {@link SessionConfig#defaults()}: [ours] and [both] checklist items. */
  DEFAULT {
    @Override
    public SessionConfig config() {
      return SessionConfig.defaults();
    }
  },
  /** {@link SessionConfig#reference()}: [ref] and [both] checklist items. */
  REFERENCE {
    @Override
    public SessionConfig config() {
      return SessionConfig.reference();
    }
  };

  public abstract SessionConfig config();

  /** A builder starting from this profile, for tests that shrink limits or TTLs. */
  public SessionConfig.Builder builder() {
    return config().toBuilder();
  }

  public boolean isReference() {
    return this == REFERENCE;
  }

  @Override
  public String toString() {
    return this == DEFAULT ? "default profile" : "reference profile";
  }
}
