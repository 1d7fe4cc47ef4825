/** Control endpoints for the sandbox clock and injected Graph faults. */
import type { ControlRoute } from '../controlRoute';
import { optNumber } from '../http';
import { faultSpec } from './faultSpec';
import { ControlError, ok } from './params';

export const clockAndFaultRoutes: ControlRoute[] = [
	{
		method: 'GET',
		path: '/_sandbox/clock',
		summary: 'current sandbox time',
		handler: ({ sandbox }) => ok({ now: sandbox.now(), frozen: sandbox.clock.frozen }),
	},
	{
		method: 'POST',
		path: '/_sandbox/clock',
		summary: 'move the clock: { advanceMs?, now?, freeze? }',
		handler: ({ sandbox, req }) => {
			const now = optNumber(req.body, 'now');
			const advanceMs = optNumber(req.body, 'advanceMs');
			if (now !== undefined) sandbox.clock.set(now);
			if (advanceMs !== undefined) sandbox.clock.advance(advanceMs);
			if (req.body.freeze === true) sandbox.clock.freeze();
			if (req.body.freeze === false) sandbox.clock.unfreeze();
			return ok({ now: sandbox.now(), frozen: sandbox.clock.frozen });
		},
	},
	{
		method: 'GET',
		path: '/_sandbox/faults',
		summary: 'active faults',
		handler: ({ sandbox }) => ok({ data: sandbox.faults() }),
	},
	{
		method: 'POST',
		path: '/_sandbox/faults',
		summary:
			'inject: { path (regex), method?, status?, error?, times? (n|"always"), delayMs?, reset?, headers? }',
		handler: ({ sandbox, req }) => {
			try {
				return ok({ fault: sandbox.injectFault(faultSpec(req.body)) });
			} catch (err) {
				if (err instanceof ControlError) throw err;
				throw new ControlError(400, err instanceof Error ? err.message : String(err));
			}
		},
	},
	{
		method: 'DELETE',
		path: '/_sandbox/faults',
		summary: 'clear all faults',
		handler: ({ sandbox }) => {
			sandbox.clearFaults();
			return ok({ success: true });
		},
	},
];
