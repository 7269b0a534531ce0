import { z } from 'zod';

/**
 * The limits against a hostile local program or page (docs/daemon.md, "Limits"), part of the
 * config's `limits`. Defaults keep the daemon's descriptors far below a 1,024 open-file limit:
 * 128 waiting sockets + 256 connections + the readers, the database and the logs.
 */
export const HARDENING_LIMITS = {
  /** From TCP connect to a completed WebSocket upgrade (ms); a silent socket is closed after it. */
  handshakeTimeoutMs: z.number().int().positive().max(60_000).default(5_000),
  /** Sockets waiting for their upgrade at once; a newcomer closes the oldest. */
  maxPendingSockets: z.number().int().positive().max(10_000).default(128),
  /** Connections per origin (or per token role). */
  maxConnectionsPerOrigin: z.number().int().positive().max(10_000).default(32),
  /** Connections per peer address (all loopback clients share 127.0.0.1 / ::1). */
  maxConnectionsPerPeer: z.number().int().positive().max(10_000).default(192),
  /** Requests in flight per origin (or token role), across its connections. */
  maxPendingPerOrigin: z.number().int().positive().max(100_000).default(64),
  /** A WebSocket ping every this many ms; a connection that has not answered the previous one is closed. */
  pingIntervalMs: z.number().int().positive().max(600_000).default(30_000),
  /** A connection with no request, nothing in flight and no event subscription for this long is closed (ms). */
  idleTimeoutMs: z.number().int().positive().max(86_400_000).default(300_000),
};

export const HARDENING_DEFAULTS = {
  handshakeTimeoutMs: 5_000,
  maxPendingSockets: 128,
  maxConnectionsPerOrigin: 32,
  maxConnectionsPerPeer: 192,
  maxPendingPerOrigin: 64,
  pingIntervalMs: 30_000,
  idleTimeoutMs: 300_000,
} as const;
