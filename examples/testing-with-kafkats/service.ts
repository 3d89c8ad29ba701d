/**
 * A small user service, the code under test: `UserService.register()` and `changeEmail()` publish
 * events keyed by user id (so one user's events stay in order on one partition), and
 * `UserDirectory` is a projection that consumes them into an in-memory lookup table.
 */
import type { Kafka } from '../../src/index.js';

export interface User {
  id: string;
  email: string;
}

type UserEvent = { type: 'registered'; user: User } | { type: 'email-changed'; id: string; email: string };

export class UserService {
  private readonly producer;

  constructor(
    kafka: Kafka,
    private readonly topic: string,
  ) {
    this.producer = kafka.producer();
  }

  start(): Promise<void> {
    return this.producer.connect();
  }

  stop(): Promise<void> {
    return this.producer.disconnect();
  }

  async register(user: User): Promise<void> {
    if (!/^[^@\s]+@[^@\s]+$/.test(user.email)) throw new Error(`invalid email: ${user.email}`);
    await this.publish(user.id, { type: 'registered', user });
  }

  async changeEmail(id: string, email: string): Promise<void> {
    await this.publish(id, { type: 'email-changed', id, email });
  }

  private async publish(key: string, event: UserEvent): Promise<void> {
    await this.producer.send({ topic: this.topic, messages: [{ key, value: JSON.stringify(event) }] });
  }
}

export class UserDirectory {
  private readonly consumer;
  private readonly users = new Map<string, User>();

  constructor(
    kafka: Kafka,
    private readonly topic: string,
    groupId: string,
  ) {
    this.consumer = kafka.consumer({ groupId });
  }

  async start(): Promise<void> {
    await this.consumer.connect();
    await this.consumer.subscribe({ topics: [this.topic], fromBeginning: true });
    await this.consumer.run({
      eachMessage: async ({ message }) => {
        const event = JSON.parse(message.value!.toString()) as UserEvent;
        if (event.type === 'registered') this.users.set(event.user.id, event.user);
        else {
          const user = this.users.get(event.id);
          if (user) this.users.set(event.id, { ...user, email: event.email });
        }
      },
    });
  }

  stop(): Promise<void> {
    return this.consumer.disconnect();
  }

  get(id: string): User | undefined {
    return this.users.get(id);
  }

  get size(): number {
    return this.users.size;
  }
}
