import { randomUUID } from 'node:crypto'
import type { FastifyBaseLogger } from 'fastify'
import type { Redis } from 'ioredis'
import { FleetUnavailableError } from '../errors.js'
import type { PoolStatus } from '../resettable-pool.js'
import { within } from '../within.js'
import { listMembers, startHeartbeat, type Heartbeat } from './membership.js'
import { createMessageSigner, createReplayGuard } from './signing.js'

export type FleetAction = 'reset' | 'status'

/** What one instance did with a fleet command. */
export interface InstanceAnswer {
  instanceId: string
  outcome: 'reset' | 'failed' | 'rate-limited' | 'status'
  generationBefore: number
  generationAfter: number
  durationMs: number
  /** Why a reset failed or was refused. */
  message?: string
  /** The instance's pool state, for `status`. */
  status?: PoolStatus
}

/** The gathered answers; `summary.status` is `partial` when a member did not answer in time. */
export interface FleetAnswer {
  commandId: string
  action: FleetAction
  summary: { status: 'complete' | 'partial', expected: number, answered: number, missing: number }
  instances: InstanceAnswer[]
  /** Members whose heartbeat was alive that did not answer within the fleet timeout. */
  missing: string[]
}

export interface FleetSettings {
  publisher: Redis
  subscriber: Redis
  namespace: string
  instanceId: string
  tokens: readonly string[]
  timeoutMs: number
  heartbeatIntervalMs: number
  /** Carries out a command on this instance; never rejects. */
  answer: (action: FleetAction) => Promise<Omit<InstanceAnswer, 'instanceId'>>
  log: Pick<FastifyBaseLogger, 'warn' | 'debug'>
}

// Signed with each message, so a message signed for one channel is refused on the other.
interface Command {
  kind: 'command'
  id: string
  action: FleetAction
  issuedAt: number
  from: string
}

interface Reply {
  kind: 'reply'
  commandId: string
  issuedAt: number
  answer: InstanceAnswer
}

/** Commands older or newer than this, by the sender's clock, are ignored. */
const COMMAND_MAX_AGE_MS = 30_000

/**
 * One instance's membership of the fleet: a heartbeat key, a subscription to the command and
 * reply channels, and `broadcast`, which asks every member and gathers the answers.
 */
export class Fleet {
  readonly #settings: FleetSettings
  readonly #signer
  readonly #isFresh = createReplayGuard(COMMAND_MAX_AGE_MS)
  readonly #waiting = new Map<string, (answer: InstanceAnswer) => void>()
  readonly #channels
  #heartbeat: Heartbeat | undefined

  constructor (settings: FleetSettings) {
    this.#settings = settings
    this.#signer = createMessageSigner(settings.tokens)
    this.#channels = {
      commands: `${settings.namespace}:commands`,
      replies: `${settings.namespace}:replies`,
      members: `${settings.namespace}:member:`
    }
  }

  /**
   * Subscribes and starts the heartbeat. Resolves true once both reached Redis, or false after
   * `readyWithinMs`: an unreachable Redis must not hold up the service, which joins later.
   */
  async start (readyWithinMs: number): Promise<boolean> {
    const { subscriber, publisher, instanceId, heartbeatIntervalMs, log } = this.#settings
    const logRedisError = (err: Error): void => { log.debug({ err }, 'fleet: redis error') }

    subscriber.on('message', (channel: string, raw: string) => { void this.#receive(channel, raw) })
    const subscribed = subscriber.subscribe(this.#channels.commands, this.#channels.replies)
    this.#heartbeat = startHeartbeat(publisher, this.#channels.members + instanceId,
      heartbeatIntervalMs, heartbeatIntervalMs * 3, logRedisError)

    const joined = Promise.all([subscribed, this.#heartbeat.firstBeat])
      .then(() => true, () => false)
    const ready = await within(async () => await joined, readyWithinMs, () => false)
    if (!ready) log.warn('fleet: redis is not reachable yet; this instance joins when it is')
    return ready
  }

  /** Leaves the fleet: stops the heartbeat and removes this member's key. */
  async close (): Promise<void> {
    await this.#heartbeat?.stop()
  }

  /** Sends `action` to every member and resolves once all answered or the timeout passed. */
  async broadcast (action: FleetAction): Promise<FleetAnswer> {
    const { publisher, instanceId, timeoutMs } = this.#settings
    if (publisher.status !== 'ready') {
      throw new FleetUnavailableError(`redis is ${publisher.status}`)
    }

    const expected = new Set([instanceId, ...await this.#members()])
    const command: Command = {
      kind: 'command', id: randomUUID(), action, issuedAt: Date.now(), from: instanceId
    }
    const answers = new Map<string, InstanceAnswer>()
    let timer: NodeJS.Timeout | undefined
    const allAnswered = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, timeoutMs)
      this.#waiting.set(command.id, (answer) => {
        answers.set(answer.instanceId, answer)
        if ([...expected].every((id) => answers.has(id))) resolve()
      })
    })

    try {
      await this.#publish(this.#channels.commands, command)
      await allAnswered
    } finally {
      clearTimeout(timer)
      this.#waiting.delete(command.id)
    }
    return summarise(command, expected, answers)
  }

  async #members (): Promise<string[]> {
    try {
      return await listMembers(this.#settings.publisher, this.#channels.members)
    } catch (error) {
      throw new FleetUnavailableError((error as Error).message)
    }
  }

  async #publish (channel: string, message: object): Promise<void> {
    try {
      await this.#settings.publisher.publish(channel, JSON.stringify(this.#signer.sign(message)))
    } catch (error) {
      throw new FleetUnavailableError((error as Error).message)
    }
  }

  async #receive (channel: string, raw: string): Promise<void> {
    const message = parse(raw)
    if (!this.#signer.verify(message)) {
      this.#settings.log.warn({ channel }, 'fleet: ignored a message with a bad signature')
      return
    }

    if (channel === this.#channels.replies) {
      const reply = message as Reply
      if (reply.kind === 'reply') this.#waiting.get(reply.commandId)?.(reply.answer)
      return
    }

    const command = message as Command
    const actionKnown = command.action === 'reset' || command.action === 'status'
    const wellFormed = command.kind === 'command' && actionKnown
    if (!wellFormed || !this.#isFresh(command.id, command.issuedAt)) {
      const { log } = this.#settings
      log.warn({ commandId: command.id }, 'fleet: ignored a stale or replayed command')
      return
    }
    const answer = {
      instanceId: this.#settings.instanceId,
      ...await this.#settings.answer(command.action)
    }
    const reply: Reply = { kind: 'reply', commandId: command.id, issuedAt: Date.now(), answer }
    await this.#publish(this.#channels.replies, reply).catch((err: Error) => {
      this.#settings.log.warn({ err }, 'fleet: could not publish an answer')
    })
  }
}

function parse (raw: string): unknown {
  try {
    return JSON.parse(raw)
  } catch {
    return undefined
  }
}

function summarise (
  command: Command,
  expected: Set<string>,
  answers: Map<string, InstanceAnswer>
): FleetAnswer {
  const missing = [...expected].filter((id) => !answers.has(id))
  return {
    commandId: command.id,
    action: command.action,
    summary: {
      status: missing.length === 0 ? 'complete' : 'partial',
      expected: expected.size,
      answered: answers.size,
      missing: missing.length
    },
    instances: [...answers.values()].sort((a, b) => a.instanceId.localeCompare(b.instanceId)),
    missing
  }
}
