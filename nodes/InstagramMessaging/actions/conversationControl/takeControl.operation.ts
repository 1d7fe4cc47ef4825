import { controlOperation } from './controlOperation';

/** `POST /{self}/take_thread_control`: this app (the primary app) takes the conversation back from whichever app holds it. */
export const { description, execute, setups } = controlOperation('take', 'takeControl');
