import type { JsonObject, JsonValue } from '../types';
import { newObjectId } from './postsAndUploads';

/** A welcome message flow for Click-to-Direct ads (Welcome Message Flows, Jun 30 2026). */
export interface WelcomeFlow {
	id: string;
	accountId: string;
	name: string;
	welcomeMessage: JsonValue;
	eligiblePlatforms: string[];
	lastUpdateTime: number;
	/** Set by the sandbox's control (an ad uses it): Meta then refuses updates and deletion. */
	isUsedInAd: boolean;
}

/** Each account's welcome flows, in creation order. */
export class WelcomeFlowStore {
	private readonly flows = new Map<string, WelcomeFlow>();

	create(flow: Omit<WelcomeFlow, 'id' | 'isUsedInAd'>): WelcomeFlow {
		const stored: WelcomeFlow = { ...flow, id: newObjectId('2400'), isUsedInAd: false };
		this.flows.set(stored.id, stored);
		return stored;
	}

	get(accountId: string, id: string): WelcomeFlow | undefined {
		const flow = this.flows.get(id);
		return flow?.accountId === accountId ? flow : undefined;
	}

	list(accountId: string): WelcomeFlow[] {
		return [...this.flows.values()].filter((flow) => flow.accountId === accountId);
	}

	delete(id: string): void {
		this.flows.delete(id);
	}

	/** An ad now uses the flow (what Ads Manager does; not a Graph call). */
	useInAd(id: string): void {
		const flow = this.flows.get(id);
		if (flow) flow.isUsedInAd = true;
	}

	reset(): void {
		this.flows.clear();
	}
}

export function flowView(flow: WelcomeFlow, time: (ms: number) => string): JsonObject {
	return {
		id: flow.id,
		name: flow.name,
		welcome_message: flow.welcomeMessage,
		eligible_platforms: flow.eligiblePlatforms,
		last_update_time: time(flow.lastUpdateTime),
		is_used_in_ad: flow.isUsedInAd,
	};
}
