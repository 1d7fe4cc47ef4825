import type { Flavour } from './graphApi';
import {
	MESSAGE_RULES,
	MISSING_PERMISSION,
	RULES,
	type ErrorExplanation,
	type Fix,
	type MetaError,
	type Rule,
	USER_CONSENT_REQUIRED,
} from './metaErrorRules';

export type { ErrorExplanation, MetaError } from './metaErrorRules';

function fixFor(fix: Fix, flavour: Flavour | undefined): string {
	return typeof fix === 'string' ? fix : fix(flavour);
}

/** Whether Meta refused a User Profile call because the person never messaged the account. */
export function isUserConsentError(error: MetaError | undefined): boolean {
	return typeof error?.message === 'string' && USER_CONSENT_REQUIRED.test(error.message);
}

function codeMatches(rule: Rule, code: number | undefined): boolean {
	if (code === undefined) return false;
	return Array.isArray(rule.code) ? rule.code.includes(code) : rule.code === code;
}

/** What happened and how to fix it, worded for the Meta setup when it is known. */
export function explainMetaError(error: MetaError, flavour?: Flavour): ErrorExplanation {
	const { code, error_subcode: subcode } = error;
	const byMessage =
		typeof error.message === 'string'
			? MESSAGE_RULES.find((r) => r.pattern.test(error.message ?? ''))
			: undefined;
	if (byMessage)
		return {
			message: byMessage.message,
			fix: fixFor(byMessage.fix, flavour),
			retryable: byMessage.retryable,
		};
	const rule =
		RULES.find((r) => r.subcode !== undefined && r.subcode === subcode && codeMatches(r, code)) ??
		RULES.find((r) => r.subcode === undefined && codeMatches(r, code)) ??
		RULES.find((r) => r.subcode === undefined && codeMatches(r, subcode));
	if (rule) {
		const { message, fix, retryable, mayHaveActed, rateLimited } = rule;
		return {
			message,
			fix: fixFor(fix, flavour),
			retryable,
			...(mayHaveActed && { mayHaveActed }),
			...(rateLimited && { rateLimited }),
		};
	}
	if (typeof code === 'number' && code >= 200 && code < 300) {
		return { ...MISSING_PERMISSION, fix: fixFor(MISSING_PERMISSION.fix, flavour) };
	}
	const transient = error.is_transient === true;
	return {
		message: 'Meta rejected the request',
		fix: "See Meta's message below.",
		retryable: transient,
		...(transient && { mayHaveActed: true }),
	};
}

const META_APP_ID_FIX =
	'Enter the ID of the Meta app (App Dashboard → App settings → Basic, the ID at the top) in the Meta App credential. For Instagram Login this is not the Instagram app ID shown under "API setup with Instagram login".';

/**
 * Meta's answers to a call made with the Meta App credential (the app token `<app id>|<secret>`),
 * or undefined when the general explanation applies.
 */
export function explainAppTokenError(error: MetaError, appId = 'this app'): ErrorExplanation | undefined {
	if (error.code === 190)
		return {
			message: 'Meta refused the app ID and app secret',
			fix: 'Copy both from App settings → Basic of the Meta app (for an Instagram Login app, these are the Meta app values, not the Instagram app ID and secret).',
			retryable: false,
		};
	if (error.code === 100 && error.error_subcode === 33)
		return {
			message: `Meta does not accept the app ${appId} for webhook subscriptions`,
			fix: `Automatic subscription uses the Meta app. ${META_APP_ID_FIX}`,
			retryable: false,
		};
	if (error.code === 100)
		return { message: 'Meta does not know this app ID', fix: META_APP_ID_FIX, retryable: false };
	return undefined;
}

/** A plain-language description that also keeps Meta's own words and trace id for support. */
export function describeMetaError(error: MetaError, explanation: ErrorExplanation): string {
	const parts = [explanation.fix];
	const detail = [
		error.message && `Meta says: ${error.message}`,
		error.error_user_msg && error.error_user_msg !== error.message && error.error_user_msg,
		`(code ${error.code ?? 'unknown'}${error.error_subcode ? `, subcode ${error.error_subcode}` : ''}${
			error.fbtrace_id ? `, fbtrace_id ${error.fbtrace_id}` : ''
		})`,
	].filter(Boolean);
	parts.push(detail.join(' '));
	return parts.join('\n\n');
}

export function isMetaError(value: unknown): value is MetaError {
	return typeof value === 'object' && value !== null && ('code' in value || 'message' in value);
}
