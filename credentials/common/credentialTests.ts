import type { IAuthenticateRuleResponseSuccessBody } from 'n8n-workflow';

import { META_BASE_URL, type Flavour } from '../../nodes/InstagramMessaging/transport/graphApi';
import {
	explainAppTokenError,
	explainMetaError,
	type MetaError,
} from '../../nodes/InstagramMessaging/transport/metaErrors';

function rule(key: string, value: number | string, message: string): IAuthenticateRuleResponseSuccessBody {
	return { type: 'responseSuccessBody', properties: { key, value, message } };
}

/** A rule whose message is the node's own explanation of `sample`, so both say the same. */
function explained(
	key: string,
	value: number | string,
	sample: MetaError,
	flavour: Flavour,
): IAuthenticateRuleResponseSuccessBody {
	const { message, fix } = explainMetaError(sample, flavour);
	const code = sample.error_subcode ? `${sample.code}/${sample.error_subcode}` : String(sample.code);
	return rule(key, value, `${message} (Meta error ${code}). ${fix}`);
}

/**
 * The credential test asks Meta with `ignoreHttpStatusErrors`, so Meta's error body reaches these
 * rules (n8n applies `responseSuccessBody` rules to 2xx answers only; first match wins). The
 * messages are the transport's explanations (`transport/metaErrorRules.ts`).
 */
export function instagramTestRules(flavour: Flavour): IAuthenticateRuleResponseSuccessBody[] {
	const host = new URL(META_BASE_URL[flavour]).host;
	const rules = [
		explained(
			'error.message',
			'Invalid OAuth access token - Cannot parse access token',
			{ code: 190, message: 'Invalid OAuth access token - Cannot parse access token' },
			flavour,
		),
		...[463, 460, 458].map((subcode) =>
			explained('error.error_subcode', subcode, { code: 190, error_subcode: subcode }, flavour),
		),
		...[190, 36103, 10, 200].map((code) => explained('error.code', code, { code }, flavour)),
	];
	if (flavour === 'facebookPage') {
		rules.push(explained('error.error_subcode', 33, { code: 100, error_subcode: 33 }, flavour));
	}
	rules.push(
		rule(
			'error.type',
			'OAuthException',
			`Meta refused the credential on ${host}. Check the token and the IDs in this credential.`,
		),
	);
	return rules;
}

/** The Meta App credential's test: the app token's refusals, in the trigger's words. */
export function metaAppTestRules(): IAuthenticateRuleResponseSuccessBody[] {
	const rules = [190, 100].flatMap((code) => {
		const explanation = explainAppTokenError({ code });
		return explanation ? [rule('error.code', code, `${explanation.message}. ${explanation.fix}`)] : [];
	});
	rules.push(
		rule(
			'error.type',
			'OAuthException',
			'Meta refused the app credentials. Check the app ID and the app secret.',
		),
	);
	return rules;
}
