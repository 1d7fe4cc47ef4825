import { createHash, randomInt } from 'crypto';

import type { SandboxComment, SandboxMedia, StoredAttachment } from '../contentTypes';
import type { CustomerBook } from './customers';

/** A Meta-looking numeric object id (attachments, posts, comments): `prefix` + random digits. */
export function newObjectId(prefix: string): string {
	let digits = '';
	while (digits.length < 17 - prefix.length) digits += String(randomInt(0, 10));
	return prefix + digits;
}

/** Uploaded attachments (§3.4), the account's posts and the comments on them (§3.14). */
export class PostsAndUploads {
	private readonly attachmentsById = new Map<string, StoredAttachment>();
	private readonly mediaById = new Map<string, SandboxMedia>();
	private readonly commentsById = new Map<string, SandboxComment>();

	constructor(private readonly customers: CustomerBook) {}

	addAttachment(
		attachment: Omit<StoredAttachment, 'id' | 'sha256' | 'size'> & { id?: string },
	): StoredAttachment {
		const stored: StoredAttachment = { ...attachment, id: attachment.id ?? newObjectId('1850') };
		if (attachment.bytes) {
			stored.size = attachment.bytes.length;
			stored.sha256 = createHash('sha256').update(attachment.bytes).digest('hex');
		}
		this.attachmentsById.set(stored.id, stored);
		return stored;
	}

	attachment(id: string): StoredAttachment | undefined {
		return this.attachmentsById.get(id);
	}

	listAttachments(accountId?: string): StoredAttachment[] {
		return [...this.attachmentsById.values()].filter(
			(a) => accountId === undefined || a.accountId === accountId,
		);
	}

	addMedia(media: Omit<SandboxMedia, 'id'> & { id?: string }): SandboxMedia {
		const stored: SandboxMedia = { ...media, id: media.id ?? newObjectId('1790') };
		const existing = this.mediaById.get(stored.id);
		if (existing && existing.accountId !== stored.accountId) {
			throw new Error(`sandbox: media ${stored.id} belongs to another account`);
		}
		this.mediaById.set(stored.id, { ...existing, ...stored });
		return stored;
	}

	media(id: string): SandboxMedia | undefined {
		return this.mediaById.get(id);
	}

	/** A person comments on a post of the account: the post and the commenter become known. */
	addComment(comment: Omit<SandboxComment, 'id'> & { id?: string }): SandboxComment {
		if (!this.media(comment.mediaId))
			this.addMedia({ id: comment.mediaId, accountId: comment.accountId, at: comment.at });
		if (!this.customers.get(comment.accountId, comment.from)) {
			this.customers.add(comment.accountId, {
				id: comment.from,
				...(comment.fromUsername !== undefined ? { username: comment.fromUsername } : {}),
			});
		}
		const stored: SandboxComment = { ...comment, id: comment.id ?? newObjectId('1800') };
		this.commentsById.set(stored.id, stored);
		return stored;
	}

	comment(id: string): SandboxComment | undefined {
		return this.commentsById.get(id);
	}

	listMedia(accountId: string): SandboxMedia[] {
		return [...this.mediaById.values()]
			.filter((m) => m.accountId === accountId)
			.sort((x, y) => y.at - x.at || y.id.localeCompare(x.id));
	}

	/** The account's public reply in a comment thread (Meta adds a reply to a reply to the top-level one). */
	addReply(parent: SandboxComment, text: string, at: number, accountId: string): SandboxComment {
		const stored: SandboxComment = {
			id: newObjectId('1800'),
			accountId,
			mediaId: parent.mediaId,
			from: accountId,
			text,
			at,
			parentId: parent.parentId ?? parent.id,
			byAccount: true,
		};
		this.commentsById.set(stored.id, stored);
		return stored;
	}

	deleteComment(id: string): void {
		this.commentsById.delete(id);
		for (const reply of [...this.commentsById.values()])
			if (reply.parentId === id) this.commentsById.delete(reply.id);
	}

	listComments(accountId?: string): SandboxComment[] {
		return [...this.commentsById.values()].filter(
			(c) => accountId === undefined || c.accountId === accountId,
		);
	}

	reset(): void {
		this.attachmentsById.clear();
		this.mediaById.clear();
		this.commentsById.clear();
	}
}
