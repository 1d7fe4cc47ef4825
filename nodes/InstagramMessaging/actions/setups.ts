import type { IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { Flavour, GraphConnection } from '../transport';

/** The two Meta setups, as the README and Meta's documents name them. */
export const SETUP_NAME: Record<Flavour, string> = {
	instagramLogin: 'Instagram API with Instagram Login (graph.instagram.com)',
	facebookPage: 'Instagram messaging through a Facebook Page (graph.facebook.com)',
};

/**
 * Meta documents some endpoints for one setup only (docs/meta-fidelity.md): anything else is
 * refused before calling Meta, saying which setup offers it.
 */
export function assertSetup(
	ctx: IExecuteFunctions,
	connection: GraphConnection,
	setups: readonly Flavour[],
	what: string,
	itemIndex: number,
): void {
	if (setups.includes(connection.flavour)) return;
	const offered = setups.map((setup) => SETUP_NAME[setup]).join(' or ');
	throw new NodeOperationError(
		ctx.getNode(),
		`${what} is not available with ${SETUP_NAME[connection.flavour]}`,
		{
			itemIndex,
			description: `Meta offers it only for ${offered}. Connect the account that way (set Authentication to a matching credential) or choose another option. The README's operation list says which setup each operation works with.`,
		},
	);
}
