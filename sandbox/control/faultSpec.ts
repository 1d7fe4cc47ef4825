import { optNumber, optObject, optString } from '../http';
import type { FaultSpec, JsonObject } from '../types';
import { ControlError } from './params';

/** The fault a `POST /_sandbox/faults` body describes; ControlError 400 when it is malformed. */
export function faultSpec(body: JsonObject): FaultSpec {
	const path = optString(body, 'path');
	if (!path) throw new ControlError(400, 'path (a regular expression) is required');
	try {
		new RegExp(path);
	} catch {
		throw new ControlError(400, 'path is not a valid regular expression');
	}
	const spec: FaultSpec = { path };
	const method = optString(body, 'method');
	if (method) spec.method = method;
	const status = optNumber(body, 'status');
	if (status !== undefined) spec.status = status;
	const times = body.times === 'always' ? Infinity : optNumber(body, 'times');
	if (times !== undefined) spec.times = times;
	const delayMs = optNumber(body, 'delayMs');
	if (delayMs !== undefined) spec.delayMs = delayMs;
	if (body.reset === true) spec.reset = true;
	if (body.afterHandling === true) spec.afterHandling = true;
	const everyNth = optNumber(body, 'everyNth');
	if (everyNth !== undefined) spec.everyNth = everyNth;
	const error = optObject(body, 'error');
	if (error) {
		const code = optNumber(error, 'code');
		const message = optString(error, 'message');
		if (code === undefined || !message) throw new ControlError(400, 'error needs code and message');
		spec.error = { code, message };
		const sub = optNumber(error, 'error_subcode');
		if (sub !== undefined) spec.error.error_subcode = sub;
		const type = optString(error, 'type');
		if (type) spec.error.type = type;
		if (typeof error.is_transient === 'boolean') spec.error.is_transient = error.is_transient;
		const title = optString(error, 'error_user_title');
		if (title) spec.error.error_user_title = title;
		const userMsg = optString(error, 'error_user_msg');
		if (userMsg) spec.error.error_user_msg = userMsg;
	}
	const headers = optObject(body, 'headers');
	if (headers) {
		spec.headers = {};
		for (const [k, v] of Object.entries(headers)) if (typeof v === 'string') spec.headers[k] = v;
	}
	return spec;
}
