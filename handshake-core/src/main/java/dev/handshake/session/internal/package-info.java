/** Implementation details of the Sessions capability; not a public API. */
@NullMarked
package dev.handshake.session.internal;

import org.jspecify.annotations.NullMarked;
